/**
 * Go's strconv.ParseFloat(s, 64), which histogram_quantile applies to `le` values: a bucket
 * whose bound does not parse is skipped, so what parses must be exactly what Go accepts.
 * Accepted: decimal with optional sign, point and exponent; "inf"/"infinity" with optional sign
 * and "nan" (any case); hexadecimal with a mandatory binary exponent ("0x1p-2"). Refused
 * (undefined): whitespace, an empty string, `_` anywhere but between digits (Go allows
 * "1_000"), and magnitudes too large for a float64 (Go's
 * ErrRange) — underflow quietly gives 0, as in Go.
 */
export function goParseFloat(text: string): number | undefined {
  const s = withoutUnderscores(text);
  if (s === undefined) return undefined;
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special !== null) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const hex = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(s);
  if (hex !== null) return parseHexFloat(hex[1] === '-', hex[2] ?? '', hex[3] ?? '', Number(hex[4]));
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function parseHexFloat(negative: boolean, intDigits: string, fracDigits: string, exponent: number): number | undefined {
  if (intDigits === '' && fracDigits === '') return undefined;
  // Exact while the mantissa fits 53 bits, which covers every bound anyone writes.
  const mantissa = Number.parseInt(intDigits + fracDigits || '0', 16);
  const v = mantissa * 2 ** (exponent - 4 * fracDigits.length);
  if (!Number.isFinite(v)) return undefined;
  return negative ? -v : v;
}

/** Go accepts `_` between two digits (or right after a 0x prefix); anything else with one is invalid syntax. */
function withoutUnderscores(s: string): string | undefined {
  if (!s.includes('_')) return s;
  const hex = /^[+-]?0x/i.test(s);
  const digit = hex ? /[0-9a-f]/i : /[0-9]/;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '_') continue;
    const before = s[i - 1] ?? '';
    const afterPrefix = hex && /x/i.test(before) && i === s.search(/x/i) + 1;
    if (!(digit.test(before) || afterPrefix) || !digit.test(s[i + 1] ?? '')) return undefined;
  }
  return s.replaceAll('_', '');
}
