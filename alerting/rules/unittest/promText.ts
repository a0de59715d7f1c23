import type { Labels } from '../../../core/index.js';
import { sortedLabelPairs } from '../../../core/index.js';

/** Prometheus' labels.Labels.String(): `{a="1", b="2"}`, sorted by name. */
export function labelsString(labels: Labels): string {
  return `{${sortedLabelPairs(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/** labels.Compare: pair by pair, name then value; a prefix sorts first. */
export function compareLabelSets(a: Labels, b: Labels): number {
  const pa = sortedLabelPairs(a);
  const pb = sortedLabelPairs(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [na, va] = pa[i] as [string, string];
    const [nb, vb] = pb[i] as [string, string];
    if (na !== nb) return na < nb ? -1 : 1;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** strconv.FormatFloat(v, 'E', -1, 64). */
export function goExponentUpper(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [m, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  return `${m}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

export function indentLines(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}

/** Go's time.Duration.String() for whole milliseconds: "0s", "500ms", "1m0s", "1h2m3.5s". */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = (rest / 1000).toString();
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
