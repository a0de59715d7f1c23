/**
 * Go's math.Log2 and math.Log10, which Prometheus calls, are not the C library's: Log2 splits
 * off the binary exponent (so powers of two are exact) and Log10 is the natural log scaled by
 * 1/ln(10). JS's Math.log10 differs from Go in the last digit for some inputs (Math.log10(3) is
 * 0.47712125471966244, Go's Log10(3) 0.4771212547196624), so Vigil follows Go's formulas.
 * (Go's amd64 assembly Log is off for subnormal inputs; that bug is not reproduced.)
 */

/** 1/ln(2) and 1/ln(10), written with more digits than a double holds, as Go's constants are. */
const INV_LN2 = 1.442695040888963407359924681001892137426645954152985934135;
const INV_LN10 = 0.434294481903251827651128918916605082294397005803666566114;

export function goLog2(x: number): number {
  const [frac, exp] = frexp(x);
  // Exact powers of two give exact results.
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * INV_LN2 + exp;
}

export function goLog10(x: number): number {
  return Math.log(x) * INV_LN10;
}

const view = new DataView(new ArrayBuffer(8));

/** x = frac × 2^exp with |frac| in [0.5, 1); zero, ±Inf and NaN come back unchanged with exp 0 (Go's Frexp). */
export function frexp(x: number): [frac: number, exp: number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exp = 0;
  // Subnormals: scale into the normal range first, as Go's normalize() does.
  if (Math.abs(x) < 2.2250738585072014e-308) {
    x *= 2 ** 52;
    exp = -52;
  }
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  exp += ((hi >>> 20) & 0x7ff) - 1022;
  // Set the biased exponent to 1022 (the range [0.5, 1)), keeping sign and mantissa.
  view.setUint32(0, (hi & ~(0x7ff << 20)) | (1022 << 20));
  return [view.getFloat64(0), exp];
}
