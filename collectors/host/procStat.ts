/**
 * /proc/stat: per-CPU time by mode and the kernel's process counters. Pure: text in, numbers out.
 * CPU times are in USER_HZ ticks, which Linux fixes at 100 per second for this file on every
 * architecture (node_exporter assumes the same).
 */
export const USER_HZ = 100;

/** The modes node_cpu_seconds_total reports, in /proc/stat column order. guest/guest_nice are separate. */
export const cpuModes = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuMode = (typeof cpuModes)[number];

export interface CpuTimes {
  /** "0", "1", … as in node_exporter's cpu label. */
  readonly cpu: string;
  /** Seconds per mode. */
  readonly seconds: Readonly<Record<CpuMode, number>>;
  readonly guestSeconds: number;
  readonly guestNiceSeconds: number;
}

export interface ProcStat {
  readonly cpus: readonly CpuTimes[];
  readonly bootTimeSeconds: number | undefined;
  readonly contextSwitches: number | undefined;
  readonly interrupts: number | undefined;
  readonly forks: number | undefined;
  readonly procsRunning: number | undefined;
  readonly procsBlocked: number | undefined;
}

export function parseProcStat(text: string): ProcStat {
  const cpus: CpuTimes[] = [];
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    const key = parts[0];
    if (key === undefined || key === '') continue;
    const m = /^cpu(\d+)$/.exec(key);
    if (m !== null) {
      const ticks = parts.slice(1).map(Number);
      const at = (i: number): number => (ticks[i] ?? 0) / USER_HZ;
      const seconds = Object.fromEntries(cpuModes.map((mode, i) => [mode, at(i)])) as Record<CpuMode, number>;
      cpus.push({ cpu: m[1] as string, seconds, guestSeconds: at(8), guestNiceSeconds: at(9) });
    } else if (parts.length >= 2) {
      fields.set(key, Number(parts[1]));
    }
  }
  const num = (k: string): number | undefined => {
    const v = fields.get(k);
    return v === undefined || Number.isNaN(v) ? undefined : v;
  };
  return {
    cpus,
    bootTimeSeconds: num('btime'),
    contextSwitches: num('ctxt'),
    interrupts: num('intr'),
    forks: num('processes'),
    procsRunning: num('procs_running'),
    procsBlocked: num('procs_blocked'),
  };
}
