/**
 * The units LogQL writes: Go durations (`1h30m`, `1.5s`, `250ms`, `10us`) for label filters and
 * `duration()` unwraps, Prometheus durations (`5m`, `1d`, `2w`) for ranges and offsets, and
 * humanize byte sizes (`10KB`, `1.5MiB`, `42b`) for bytes filters.
 */

const goUnits: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration, in seconds; undefined when `text` is not one. */
export function parseGoDurationSeconds(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  let total = 0;
  while (s.length > 0) {
    const m = part.exec(s);
    if (m === null) return undefined;
    total += Number(m[1]) * (goUnits[m[2] as string] as number);
    s = s.slice(m[0].length);
  }
  return sign * total;
}

const byteUnits: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, pb: 1e15, eb: 1e18,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, pib: 1024 ** 5, eib: 1024 ** 6,
  k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3, ti: 1024 ** 4,
};

/** go-humanize's ParseBytes, as Loki parses `10KB`, `1.5 MiB`, `42`; undefined when not one. */
export function parseBytes(text: string): number | undefined {
  const m = /^(\d+\.?\d*|\.\d+)\s*([a-zA-Z]*)$/.exec(text.trim());
  if (m === null) return undefined;
  const unit = (m[2] as string).toLowerCase();
  const factor = unit === '' ? 1 : byteUnits[unit];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}
