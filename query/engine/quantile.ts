/**
 * The φ-quantile of a list of values (Prometheus 2.42's quantile(), shared by the quantile aggregation
 * and quantile_over_time): values sorted ascending with NaN
 * first, then linear interpolation between the two closest ranks, weighted exactly as
 * Prometheus does (lower·(1-w) + upper·w, so an infinite neighbour with weight 0 gives NaN).
 * φ < 0 gives -Inf, φ > 1 +Inf, φ = NaN NaN.
 */
export function quantile(phi: number, values: readonly number[]): number {
  if (values.length === 0 || Number.isNaN(phi)) return NaN;
  if (phi < 0) return -Infinity;
  if (phi > 1) return Infinity;
  const sorted = [...values].sort(nanFirstAscending);
  const n = sorted.length;
  const rank = phi * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

function nanFirstAscending(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
