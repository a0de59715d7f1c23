/**
 * The φ-quantile of a list of values, as Prometheus 2.42's quantile() computes it for
 * quantile_over_time (and the quantile aggregation): sort, then interpolate linearly between the
 * two closest ranks, rank = φ·(n-1). φ < 0 gives -Inf, φ > 1 gives +Inf, no values give NaN.
 * NaN values sort first, as Go's sort with Prometheus' "NaN is less" order leaves them.
 */
export function quantile(phi: number, values: number[]): number {
  if (values.length === 0) return NaN;
  if (phi < 0) return -Infinity;
  if (phi > 1) return Infinity;
  // Go would index with int(NaN) and fail; later releases answer NaN, the only sensible value.
  if (Number.isNaN(phi)) return NaN;
  values.sort(nanFirstAscending);
  const n = values.length;
  const rank = phi * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return (values[lowerIndex] as number) * (1 - weight) + (values[upperIndex] as number) * weight;
}

function nanFirstAscending(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}
