/**
 * /proc/pressure/{cpu,io,memory} (pressure stall information, Linux 4.20+), as node_exporter
 * names it: the "some" line's total is time something waited, the "full" line's total is time
 * everything stalled; microseconds in the file, seconds in the metric. node_exporter reports
 * no "full" for cpu (the kernel's cpu full line is always 0 at system level). Pure.
 */
export type PressureResource = 'cpu' | 'io' | 'memory';

export interface PressureTotals {
  readonly someSeconds: number | undefined;
  readonly fullSeconds: number | undefined;
}

export function parsePressure(text: string): PressureTotals {
  let someSeconds: number | undefined;
  let fullSeconds: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^(some|full)\s.*\btotal=(\d+)/.exec(line);
    if (m === null) continue;
    const seconds = Number(m[2]) / 1e6;
    if (m[1] === 'some') someSeconds = seconds;
    else fullSeconds = seconds;
  }
  return { someSeconds, fullSeconds };
}

/** The metrics of one resource's file, as [name, help, value]. */
export function pressureMetrics(resource: PressureResource, p: PressureTotals): [string, string, number][] {
  const out: [string, string, number][] = [];
  if (p.someSeconds !== undefined) {
    out.push([`node_pressure_${resource}_waiting_seconds_total`, `Total time in seconds that processes have waited for ${resource === 'cpu' ? 'CPU time' : resource === 'io' ? 'IO' : 'memory'}`, p.someSeconds]);
  }
  if (resource !== 'cpu' && p.fullSeconds !== undefined) {
    out.push([`node_pressure_${resource}_stalled_seconds_total`, `Total time in seconds no process could make progress due to ${resource === 'io' ? 'IO' : 'memory'} congestion`, p.fullSeconds]);
  }
  return out;
}
