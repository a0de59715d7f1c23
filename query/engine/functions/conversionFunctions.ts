import type { VectorElement } from '../types.js';
import type { EvalValue } from '../values.js';
import { absentLabels } from './absentLabels.js';
import { scalarArg, single, vectorArg, vectorResult } from './callArgs.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';

/** Between scalars and vectors, ordering, and absence: functions that keep values as they are. */
export const CONVERSION_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['vector', (args, ctx) => single({}, scalarArg(args, 0), ctx)],
  ['scalar', scalar],
  ['sort', (args, ctx) => sorted(args, ctx, ascendingNaNLast)],
  ['sort_desc', (args, ctx) => sorted(args, ctx, descendingNaNLast)],
  ['absent', absent],
]);

/** scalar(v): the value of a one-element vector; NaN for any other size. */
function scalar(args: readonly EvalValue[]): EvalValue {
  const elements = vectorArg(args, 0);
  return { kind: 'scalar', v: elements.length === 1 ? (elements[0] as VectorElement).v : NaN };
}

/** sort/sort_desc keep labels (`__name__` too) and return the elements in order; NaN last either way. */
function sorted(args: readonly EvalValue[], ctx: CallContext, compare: (a: number, b: number) => number): EvalValue {
  const out = vectorArg(args, 0).map((e) => ({ labels: e.labels, t: ctx.t, v: e.v }));
  out.sort((a, b) => compare(a.v, b.v));
  return vectorResult(out);
}

function ascendingNaNLast(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function descendingNaNLast(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a > b ? -1 : a < b ? 1 : 0;
}

/** absent(v): nothing when v has elements; otherwise 1 with the labels the selector pins down. */
function absent(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  if (vectorArg(args, 0).length > 0) return vectorResult([]);
  return single(absentLabels(ctx.argExprs[0]), 1, ctx);
}
