/**
 * Number literals as Prometheus 2.42 reads and prints them. Reading follows Go: the text is
 * first tried as an integer with base prefix (strconv.ParseInt(s, 0, 64): `0x1f`, and a leading
 * 0 means octal, so `017` is 15), then as a float; printing follows Go's `%v`: the shortest
 * digits that read back exactly, in exponent form from 1e+06 up and below 1e-04.
 */

const INT64_MAX = 2n ** 63n - 1n;

/** The value of a number token, or undefined when Go would refuse it (the caller words the error). */
export function parseNumberLiteral(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'inf') return Infinity;
  if (lower === 'nan') return NaN;
  const asInt = parseGoInt(lower);
  if (asInt !== undefined) return asInt;
  // Go's ParseFloat takes hex only with a binary exponent ("0x1p3"), which the lexer never produces.
  if (lower.startsWith('0x')) return undefined;
  if (!/^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/.test(lower)) return undefined;
  // Out-of-range floats are ±Inf in JS; Go reports a range error then.
  const v = Number(lower);
  return Number.isFinite(v) ? v : undefined;
}

function parseGoInt(s: string): number | undefined {
  let digits = s;
  let radix = 10;
  if (s.startsWith('0x')) {
    digits = s.slice(2);
    radix = 16;
    if (!/^[0-9a-f]+$/.test(digits)) return undefined;
  } else if (s.length > 1 && s.startsWith('0')) {
    digits = s.slice(1);
    radix = 8;
    if (!/^[0-7]+$/.test(digits)) return undefined;
  } else if (!/^\d+$/.test(s)) {
    return undefined;
  }
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '';
  const n = BigInt(prefix + digits);
  if (n > INT64_MAX) return undefined;
  // float64(n), as Go converts: round to nearest.
  return Number(n);
}

/** A float as Go's fmt.Sprint prints it: `1`, `0.5`, `1e+06`, `1.5e-07`, `+Inf`, `-Inf`, `NaN`. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // JS's shortest round-trip digits are Go's too; only the exponent threshold and format differ.
  const [mantissa, expText] = v.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}
