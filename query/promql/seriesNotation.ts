import type { Labels } from '../../core/index.js';
import { STALE_NAN } from '../../core/index.js';
import { parseExpr } from './parser.js';

/**
 * The series notation of Prometheus' test scripts and promtool's rule unit tests
 * (parser.ParseSeriesDesc): `metric{a="b"}` and value tokens — numbers, NaN, Inf, -Inf, `stale`,
 * `_` (no sample), `a+bxn` / `a-bxn` (n+1 values stepping by b), `axn` (n+1 times a), `_xn` (n gaps).
 */

/** Reads `name{labels}` (equality matchers only) into a label set. */
export function parseSeriesLabels(text: string): Labels {
  const t = text.trim();
  if (t === '{}') return {};
  const expr = parseExpr(t);
  if (expr.type !== 'VectorSelector' || expr.matchers.some((m) => m.type !== '=')) throw new Error(`a series needs = labels only: ${t}`);
  return Object.fromEntries(expr.matchers.map((m) => [m.name, m.value]));
}

/** Splits `name{labels} values…` into the label set and the value tokens. */
export function splitSeriesLine(text: string): { labels: Labels; rest: string[] } {
  if (text.startsWith('{}')) return { labels: {}, rest: tokens(text.slice(2)) };
  const close = text.indexOf('}');
  const end = close >= 0 ? close + 1 : text.search(/\s|$/);
  return { labels: parseSeriesLabels(text.slice(0, end)), rest: tokens(text.slice(end)) };
}

function tokens(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '');
}

/** One value token; undefined for `_`. Throws on anything else that is not a number. */
export function parseSeriesValue(tok: string): number | undefined {
  if (tok === '_') return undefined;
  if (tok === 'stale') return STALE_NAN;
  if (tok === 'NaN') return NaN;
  if (tok === 'Inf' || tok === '+Inf') return Infinity;
  if (tok === '-Inf') return -Infinity;
  const n = Number(tok);
  if (tok === '' || Number.isNaN(n)) throw new Error(`bad value ${tok}`);
  return n;
}

/** Most values one series description may expand to (a typo like 1+1x1e9 must not exhaust memory). */
export const MAX_EXPANDED_VALUES = 1_000_000;

/** Expands value tokens: one entry per step, undefined where the series has no sample. */
export function expandSeriesValues(tokensIn: readonly string[] | string): (number | undefined)[] {
  const toks = typeof tokensIn === 'string' ? tokens(tokensIn) : tokensIn;
  const out: (number | undefined)[] = [];
  const room = (n: number): void => {
    if (out.length + n > MAX_EXPANDED_VALUES) throw new Error(`more than ${MAX_EXPANDED_VALUES} values`);
  };
  for (const tok of toks) {
    const gaps = /^_x(\d+)$/.exec(tok);
    // `axn` is a+0xn: n+1 copies of a.
    const series = /^([-+]?[\d.]+(?:e[+-]?\d+)?)(?:([+-])([\d.]+(?:e[+-]?\d+)?))?x(\d+)$/.exec(tok);
    if (gaps !== null) {
      room(Number(gaps[1]));
      for (let k = 0; k < Number(gaps[1]); k++) out.push(undefined);
    } else if (series !== null) {
      room(Number(series[4]) + 1);
      const start = Number(series[1]);
      const delta = series[3] === undefined ? 0 : Number(series[3]) * (series[2] === '-' ? -1 : 1);
      for (let k = 0; k <= Number(series[4]); k++) out.push(start + k * delta);
    } else {
      out.push(parseSeriesValue(tok));
    }
  }
  return out;
}
