/**
 * Sample values and timestamps as Go's strconv.ParseFloat reads them (what Prometheus' parsers
 * call): decimal and exponent forms, and NaN / Inf / Infinity in any case with an optional sign.
 * Returns undefined for anything else, including what JavaScript's Number() would accept but Go
 * refuses ("", " 1", "0x10", "1_0").
 */
export function parseGoFloat(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  let digits = 0;
  let plain = true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (!(c === 46 || c === 43 || c === 45 || c === 101 || c === 69)) {
      plain = false;
      break;
    }
  }
  if (plain) {
    if (digits === 0) return undefined;
    const v = Number(text);
    return Number.isNaN(v) ? undefined : v;
  }
  return specialFloat(text);
}

function specialFloat(text: string): number | undefined {
  const lower = text.toLowerCase();
  const sign = lower.charCodeAt(0) === 45 ? -1 : 1;
  const body = lower.charCodeAt(0) === 45 || lower.charCodeAt(0) === 43 ? lower.slice(1) : lower;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  return undefined;
}

/** A Prometheus text-format timestamp: a decimal int64 of milliseconds (kept exact up to 2^53). */
export function parseIntMs(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 20) return undefined;
  let i = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0;
  if (i === n) return undefined;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : undefined;
}
