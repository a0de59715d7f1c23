/**
 * /proc/net/dev: cumulative counters per network interface, named as node_exporter names them
 * (node_network_receive_bytes_total, node_network_transmit_colls_total, …). Pure.
 */
const receiveColumns = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'frame', 'compressed', 'multicast'] as const;
const transmitColumns = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'colls', 'carrier', 'compressed'] as const;

export interface NetDevStats {
  readonly device: string;
  /** Metric name → cumulative value. */
  readonly counters: ReadonlyMap<string, number>;
}

export function parseNetDev(text: string): NetDevStats[] {
  const out: NetDevStats[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const device = line.slice(0, colon).trim();
    const values = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    // Header lines contain '|' and no numbers; a data line has all 16 columns.
    if (device === '' || device.includes('|') || values.length < 16 || values.some(Number.isNaN)) continue;
    const counters = new Map<string, number>();
    receiveColumns.forEach((c, i) => counters.set(`node_network_receive_${c}_total`, values[i] as number));
    transmitColumns.forEach((c, i) => counters.set(`node_network_transmit_${c}_total`, values[8 + i] as number));
    out.push({ device, counters });
  }
  return out;
}
