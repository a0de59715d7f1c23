/** Prometheus' duration syntax (model.ParseDuration): 1y2w3d4h5m6s7ms, units in that order, at least one. */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds, or undefined when `text` is not a Prometheus duration. "0" is zero. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const m = DURATION.exec(text);
  if (m === null) return undefined;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * (UNIT_MS[i] as number);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Milliseconds as Prometheus prints a duration (what `__scrape_interval__` holds): 1m30s, 15s, 500ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const units: [string, number][] = [['y', UNIT_MS[0] as number], ['w', UNIT_MS[1] as number], ['d', UNIT_MS[2] as number], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Sizes as Prometheus' body_size_limit takes them: a number of bytes with B, KB, MB, GB (base 2; KiB… too). */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(text.trim());
  if (m === null) return undefined;
  const unit = (m[2] ?? 'B').toUpperCase().replace('I', '');
  const scale: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  return Number(m[1]) * (scale[unit] ?? 1);
}
