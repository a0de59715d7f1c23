/**
 * /sys/class/net/<device>/* as node_exporter's netclass collector names it. A file the kernel
 * refuses to read for a device (speed of a loopback, duplex of a virtual link) gives no metric,
 * as in node_exporter; `node_network_info` carries the text attributes (empty when unreadable).
 * Pure: the files' contents in, [metric, type, value] out.
 */
export const netClassFiles = [
  'addr_assign_type', 'carrier', 'carrier_changes', 'carrier_down_count', 'carrier_up_count', 'dev_id', 'dormant', 'flags', 'ifindex', 'iflink',
  'link_mode', 'mtu', 'name_assign_type', 'netdev_group', 'operstate', 'type', 'speed', 'tx_queue_len', 'address', 'broadcast', 'duplex', 'ifalias',
] as const;
export type NetClassFile = (typeof netClassFiles)[number];

const numeric: readonly (readonly [NetClassFile, string, 'gauge' | 'counter'])[] = [
  ['addr_assign_type', 'node_network_address_assign_type', 'gauge'],
  ['carrier', 'node_network_carrier', 'gauge'],
  ['carrier_changes', 'node_network_carrier_changes_total', 'counter'],
  ['carrier_down_count', 'node_network_carrier_down_changes_total', 'counter'],
  ['carrier_up_count', 'node_network_carrier_up_changes_total', 'counter'],
  ['dev_id', 'node_network_device_id', 'gauge'],
  ['dormant', 'node_network_dormant', 'gauge'],
  ['flags', 'node_network_flags', 'gauge'],
  ['ifindex', 'node_network_iface_id', 'gauge'],
  ['iflink', 'node_network_iface_link', 'gauge'],
  ['link_mode', 'node_network_iface_link_mode', 'gauge'],
  ['mtu', 'node_network_mtu_bytes', 'gauge'],
  ['name_assign_type', 'node_network_name_assign_type', 'gauge'],
  ['netdev_group', 'node_network_net_dev_group', 'gauge'],
  ['type', 'node_network_protocol_type', 'gauge'],
  ['tx_queue_len', 'node_network_transmit_queue_length', 'gauge'],
];

/** Decimal, or hexadecimal with 0x (dev_id, flags). */
function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  return undefined;
}

export function netClassMetrics(files: Readonly<Partial<Record<NetClassFile, string>>>): { metrics: [string, 'gauge' | 'counter', number][]; info: Record<string, string> } {
  const metrics: [string, 'gauge' | 'counter', number][] = [];
  for (const [file, name, type] of numeric) {
    const text = files[file];
    const v = text === undefined ? undefined : parseNumber(text);
    if (v !== undefined) metrics.push([name, type, v]);
  }
  const operstate = files.operstate?.trim();
  if (operstate !== undefined) metrics.push(['node_network_up', 'gauge', operstate === 'up' ? 1 : 0]);
  // speed is in Mbit/s (-1: unknown), the metric in bytes per second.
  const speed = files.speed === undefined ? undefined : parseNumber(files.speed);
  if (speed !== undefined) metrics.push(['node_network_speed_bytes', 'gauge', (speed * 1000 * 1000) / 8]);
  const text = (f: NetClassFile): string => files[f]?.trim() ?? '';
  return { metrics, info: { address: text('address'), broadcast: text('broadcast'), duplex: text('duplex'), ifalias: text('ifalias'), operstate: text('operstate') } };
}
