import type { Labels } from '../../../core/index.js';
import { sortedLabelPairs } from '../../../core/index.js';

/**
 * Go's text forms that leak into PromQL results and error messages, so that Vigil's answers
 * and errors read byte for byte like Prometheus' (count_values labels, duplicate-series errors).
 */

const namedEscapes: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u000b': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** Go's strconv.Quote: printable characters as they are, the rest as Go escapes (\n, \x01, \u0085). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = namedEscapes[ch];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const code = ch.codePointAt(0) as number;
    if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Prometheus' labels.Labels.String(): `{__name__="x", a="1"}`, names sorted, the metric name inside the braces. */
export function labelsString(labels: Labels): string {
  return `{${sortedLabelPairs(labels)
    .map(([name, value]) => `${name}=${goQuote(value)}`)
    .join(', ')}}`;
}

/**
 * Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that read back as v, never in
 * exponent form (1e+21 is written out in full, 1e-7 as 0.0000001). JavaScript's String() finds
 * the same shortest digits; only the notation differs.
 */
export function formatFloatF(v: number): string {
  const special = goSpecialFloat(v);
  if (special !== undefined) return special;
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const sign = s.startsWith('-') ? '-' : '';
  const mantissa = s.slice(sign.length, e);
  const exponent = Number(s.slice(e + 1));
  const digits = mantissa.replace('.', '');
  const point = (mantissa.indexOf('.') < 0 ? mantissa.length : mantissa.indexOf('.')) + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Go's text for the values every float format spells alike: NaN, +Inf, -Inf and -0; undefined for the rest. */
export function goSpecialFloat(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return undefined;
}
