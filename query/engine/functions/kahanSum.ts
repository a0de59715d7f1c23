/**
 * Neumaier's variant of Kahan summation, the way Prometheus 2.42 accumulates sums in
 * sum/avg/stddev/stdvar_over_time and in deriv's linear regression: the running sum and a
 * separate compensation term, added together only at the end. Using it (rather than plain `+`)
 * is what makes the last digits agree with Prometheus.
 */
export function kahanSumInc(inc: number, sum: number, c: number): [sum: number, c: number] {
  const t = sum + inc;
  // Neumaier: the compensation comes from whichever of the two terms is larger in magnitude.
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}
