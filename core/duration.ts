/**
 * Prometheus durations: one or more `<integer><unit>` parts with units in decreasing order,
 * y (365 days), w, d, h, m, s, ms, e.g. `1h30m`, `5m`, `250ms`. Returned in milliseconds.
 */
const unitMs: readonly (readonly [string, number])[] = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

const durationPattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parses a duration as Prometheus' model.ParseDuration does ("0" is zero); returns undefined when
 * the text is not one (the caller words the error). PromQL, the scrape configuration, rule files,
 * LogQL ranges and the CLI all read durations through this one function.
 */
export function parseDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (text.length === 0) return undefined;
  const m = durationPattern.exec(text);
  if (m === null) return undefined;
  let total = 0;
  for (let i = 0; i < unitMs.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) total += Number(part) * (unitMs[i] as readonly [string, number])[1];
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** The canonical text of a duration, largest units first: 90000 → "1m30s", 0 → "0s". */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of unitMs) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
