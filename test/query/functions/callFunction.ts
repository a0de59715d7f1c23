import type { Labels } from '../../../core/index.js';
import { FUNCTION_IMPLS } from '../../../query/engine/functions/index.js';
import type { CallContext, EvalValue } from '../../../query/engine/functions/index.js';
import type { Expr } from '../../../query/index.js';
import { parseExpr } from '../../../query/index.js';

/** Calls one function the way the evaluator does, at time `t` (ms), for the family tests. */
export function callFunction(name: string, args: readonly EvalValue[], ctx: Partial<CallContext> & { t: number }): EvalValue {
  const impl = FUNCTION_IMPLS.get(name);
  if (impl === undefined) throw new Error(`no implementation of ${name}`);
  return impl(args, { argExprs: [], ...ctx });
}

/** Calls a range-vector function with one series over the closed window [start, end] (seconds), evaluated at `end`. */
export function callOverWindow(name: string, points: readonly (readonly [tSeconds: number, v: number])[], startS: number, endS: number, extra: readonly EvalValue[] = [], labels: Labels = { __name__: 'm', job: 'a' }): EvalValue {
  const matrix: EvalValue = { kind: 'matrix', series: [{ labels, points: points.map(([t, v]) => ({ t: t * 1000, v })) }] };
  // quantile_over_time takes φ first; every other range function takes the matrix first.
  const args = name === 'quantile_over_time' ? [...extra, matrix] : [matrix, ...extra];
  return callFunction(name, args, { t: endS * 1000, rangeStartMs: startS * 1000, rangeEndMs: endS * 1000 });
}

/** The values of a vector result, or undefined for an empty one. */
export function onlyValue(result: EvalValue): number | undefined {
  if (result.kind !== 'vector') throw new Error(`expected a vector, got ${result.kind}`);
  if (result.elements.length > 1) throw new Error('expected at most one element');
  return result.elements[0]?.v;
}

export function vector(...elements: readonly [Labels, number][]): EvalValue {
  return { kind: 'vector', elements: elements.map(([labels, v]) => ({ labels, t: 0, v })) };
}

export function scalar(v: number): EvalValue {
  return { kind: 'scalar', v };
}

export function str(s: string): EvalValue {
  return { kind: 'string', s };
}

/** The argument expressions of a call as the parser builds them (absent() reads its selector's matchers). */
export function argExprsOf(query: string): readonly Expr[] {
  const e = parseExpr(query);
  if (e.type !== 'Call') throw new Error(`${query} is not a call`);
  return e.args;
}
