/**
 * The cgroup v2 interface files the container collector reads. Pure parsers: text in, numbers
 * out; a line that does not parse is skipped, a missing value is undefined.
 */

/** Flat-keyed files: cpu.stat, memory.stat, memory.events ("key value" per line). */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key === undefined || value === undefined) continue;
    const n = Number(value);
    if (!Number.isNaN(n)) out.set(key, n);
  }
  return out;
}

/** A single-value file (memory.current, memory.max): "max" is no limit (undefined). */
export function parseSingleValue(text: string): number | undefined {
  const t = text.trim();
  if (t === 'max' || t === '') return undefined;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

/** cpu.max: "<quota|max> <period>" in microseconds. */
export function parseCpuMax(text: string): { quotaUs: number | undefined; periodUs: number } | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  const periodUs = Number(period);
  if (quota === undefined || Number.isNaN(periodUs)) return undefined;
  return { quotaUs: quota === 'max' ? undefined : Number(quota), periodUs };
}

export interface IoStatLine {
  /** "major:minor". */
  readonly device: string;
  readonly rbytes: number;
  readonly wbytes: number;
  readonly rios: number;
  readonly wios: number;
}

/** io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device. */
export function parseIoStat(text: string): IoStatLine[] {
  const out: IoStatLine[] = [];
  for (const line of text.split('\n')) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    if (device === undefined || !/^\d+:\d+$/.test(device)) continue;
    const v = new Map(pairs.map((p) => p.split('=') as [string, string]).map(([k, x]) => [k, Number(x)]));
    const get = (k: string): number => {
      const n = v.get(k);
      return n === undefined || Number.isNaN(n) ? 0 : n;
    };
    out.push({ device, rbytes: get('rbytes'), wbytes: get('wbytes'), rios: get('rios'), wios: get('wios') });
  }
  return out;
}
