import { quote } from '../../core/index.js';
import type { AtModifier, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.js';
import type { DepthGuard } from './depthGuard.js';
import { parseDurationMs } from '../../core/index.js';
import { parseNumberLiteral } from './numbers.js';
import { ParseError } from './parseError.js';
import type { TokenStream } from './tokenStream.js';

/**
 * The postfix constructs, which bind tighter than any operator: `[range]`, `[range:step]`,
 * `offset [-]duration` and `@ time|start()|end()`, in any number and order; the rules on what
 * they may follow are Prometheus' (addOffset, setTimestamp and the matrix_selector rule).
 */
export function parsePostfix(s: TokenStream, guard: DepthGuard, expr: Expr): Expr {
  for (;;) {
    if (s.isSymbol('[')) expr = parseRangeOrSubquery(s, guard, expr);
    else if (s.isWord('offset')) expr = parseOffset(s, guard, expr);
    else if (s.isSymbol('@')) expr = parseAt(s, guard, expr);
    else return expr;
  }
}

function parseRangeOrSubquery(s: TokenStream, guard: DepthGuard, expr: Expr): Expr {
  const open = s.next();
  const rangeMs = parseDuration(s, 'subquery selector', true);
  if (s.isSymbol(']')) {
    const close = s.next();
    let problem = '';
    if (expr.type !== 'VectorSelector') problem = 'ranges only allowed for vector selectors';
    else if (expr.offsetMs !== 0) problem = 'no offset modifiers allowed before range';
    else if (expr.at !== null) problem = 'no @ modifiers allowed before range';
    if (problem !== '') throw new ParseError(open.pos, problem);
    const vector = expr as VectorSelector;
    return guard.node<MatrixSelector>({ type: 'MatrixSelector', vector, rangeMs, pos: { start: vector.pos.start, end: close.end } });
  }
  if (!s.isSymbol(':')) throw s.unexpected('subquery or range', '":" or "]"');
  s.next();
  let stepMs = 0;
  if (!s.isSymbol(']')) {
    if (s.peek().kind !== 'duration') throw s.unexpected('subquery selector', 'duration or "]"');
    stepMs = parseDuration(s, 'subquery selector', true);
  }
  const close = s.expectSymbol(']', 'subquery selector');
  return guard.node<SubqueryExpr>({ type: 'SubqueryExpr', expr, rangeMs, stepMs, offsetMs: 0, at: null, pos: { start: expr.pos.start, end: close.end } });
}

/** Reads a duration token: positive, units in decreasing order (Prometheus' parseDuration). */
function parseDuration(s: TokenStream, context: string, inBrackets: boolean): number {
  const t = s.peek();
  // Inside brackets Prometheus' lexer reads only durations: a bare number (or nothing) lacks its unit.
  if (inBrackets && (t.kind === 'number' || s.isSymbol(']'))) throw new ParseError(t.pos, 'missing unit character in duration');
  if (t.kind !== 'duration') throw s.unexpected(context, 'duration');
  s.next();
  const ms = parseDurationMs(t.text);
  if (ms === undefined) throw new ParseError(t.pos, `not a valid duration string: ${quote(t.text)}`);
  if (ms === 0) throw new ParseError(t.pos, 'duration must be greater than 0');
  return ms;
}

function parseOffset(s: TokenStream, guard: DepthGuard, expr: Expr): Expr {
  s.next(); // offset
  let sign = 1;
  if (s.isSymbol('-')) {
    s.next();
    sign = -1;
  }
  const offsetMs = sign * parseDuration(s, 'offset', false);
  const end = s.previous().end;
  const target = modifiable(expr, 'offset modifier');
  if (target.offsetMs !== 0) throw new ParseError(expr.pos.start, 'offset may not be set multiple times');
  return guard.node(withModifier(expr, { offsetMs }, end));
}

function parseAt(s: TokenStream, guard: DepthGuard, expr: Expr): Expr {
  s.next(); // @
  let at: AtModifier;
  const t = s.peek();
  if (s.isWord('start') || s.isWord('end')) {
    s.next();
    s.expectSymbol('(', '@', '"("');
    s.expectSymbol(')', '@', '")"');
    at = t.text.toLowerCase() === 'start' ? 'start' : 'end';
  } else {
    let sign = 1;
    if (s.isSymbol('-') || s.isSymbol('+')) sign = s.next().text === '-' ? -1 : 1;
    const n = s.peek();
    if (n.kind !== 'number') throw s.unexpected('@', 'timestamp');
    s.next();
    const seconds = parseNumberLiteral(n.text);
    if (seconds === undefined) throw new ParseError(n.pos, `error parsing number: ${quote(n.text)}`);
    at = { kind: 'time', ms: timestampMs(sign * seconds, expr.pos.start) };
  }
  const end = s.previous().end;
  const target = modifiable(expr, '@ modifier');
  if (target.at !== null) throw new ParseError(expr.pos.start, '@ <timestamp> may not be set multiple times');
  return guard.node(withModifier(expr, { at }, end));
}

// Prometheus bounds the seconds by int64 and then converts to int64 milliseconds, which can
// overflow. Here the bound keeps seconds-with-three-decimals exact in a double, so that a printed
// `@ 123.456` reads back to the same millisecond: 1e12 s, about 31,700 years after 1970.
const MAX_AT_SECONDS = 1e12;

/** Seconds → milliseconds as Prometheus' timestamp.FromFloatSeconds: rounded half away from zero. */
function timestampMs(seconds: number, pos: number): number {
  if (!Number.isFinite(seconds) || Math.abs(seconds) >= MAX_AT_SECONDS) {
    throw new ParseError(pos, `timestamp out of bounds for @ modifier: ${formatGoFixed6(seconds)}`);
  }
  const ms = Math.sign(seconds) * Math.round(Math.abs(seconds) * 1000);
  return ms === 0 ? 0 : ms; // no -0
}

function formatGoFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return Math.abs(v) < 1e21 ? v.toFixed(6) : String(v);
}

/** The node an offset or @ applies to: a selector, the selector inside a range, or a subquery. */
function modifiable(expr: Expr, what: string): { offsetMs: number; at: AtModifier } {
  switch (expr.type) {
    case 'VectorSelector':
    case 'SubqueryExpr':
      return expr;
    case 'MatrixSelector':
      return expr.vector;
    default:
      throw new ParseError(expr.pos.start, `${what} must be preceded by an instant vector selector or range vector selector or a subquery`);
  }
}

function withModifier(expr: Expr, change: { offsetMs?: number; at?: AtModifier }, end: number): Expr {
  switch (expr.type) {
    case 'VectorSelector':
    case 'SubqueryExpr':
      return { ...expr, ...change, pos: { start: expr.pos.start, end } };
    case 'MatrixSelector':
      return { ...expr, vector: { ...expr.vector, ...change }, pos: { start: expr.pos.start, end } };
    default:
      throw new Error(`unreachable: ${expr.type} takes no modifiers`);
  }
}
