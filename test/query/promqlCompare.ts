import type { ExpectedSeries } from './promqlScript.js';

/**
 * The verdict of promqltest: the same series with the same timestamps, values equal or within a
 * relative 1e-6 (NaN equals NaN), in the same order only when the eval is ordered. Returns
 * undefined when they agree, else the first difference in words.
 */
export function compareSeries(expected: readonly ExpectedSeries[], actual: readonly ExpectedSeries[], ordered: boolean): string | undefined {
  const sort = (s: readonly ExpectedSeries[]): readonly ExpectedSeries[] => (ordered ? s : [...s].sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : 0)));
  const want = sort(expected);
  const got = sort(actual);
  if (want.length !== got.length) return `expected ${want.length} series, got ${got.length}`;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as ExpectedSeries;
    const g = got[i] as ExpectedSeries;
    if (w.series !== g.series) return `series ${i}: expected ${w.series}, got ${g.series}`;
    if (w.points.length !== g.points.length) return `${w.series}: expected ${w.points.length} points, got ${g.points.length}`;
    for (let k = 0; k < w.points.length; k++) {
      const [wt, wv] = w.points[k] as readonly [number, string];
      const [gt, gv] = g.points[k] as readonly [number, string];
      if (wt !== gt) return `${w.series}: point ${k} expected at ${wt}ms, got ${gt}ms`;
      if (!almostEqual(numberOf(wv), numberOf(gv))) return `${w.series} at ${wt}ms: expected ${wv}, got ${gv}`;
    }
  }
  return undefined;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus' promqltest almostEqual: exact for equal values and infinities, else relative 1e-6. */
function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || diff < MIN_NORMAL) return diff < 1e-6 * MIN_NORMAL;
  return diff / (Math.abs(a) + Math.abs(b)) < 1e-6;
}

/** A value as the API formats it (+Inf, -Inf, NaN, Go exponents) back to a number. */
function numberOf(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
