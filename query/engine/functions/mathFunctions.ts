import type { EvalValue } from '../values.js';
import { perElement, scalarArg, vectorArg, vectorResult } from './callArgs.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';
import { goLog10, goLog2 } from './goMath.js';

/** Element-wise math on an instant vector; all of them drop `__name__` (the value is no longer the metric). */
export const MATH_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['abs', elementwise(Math.abs)],
  ['ceil', elementwise(Math.ceil)],
  ['floor', elementwise(Math.floor)],
  ['exp', elementwise(Math.exp)],
  ['sqrt', elementwise(Math.sqrt)],
  ['ln', elementwise(Math.log)],
  ['log2', elementwise(goLog2)],
  ['log10', elementwise(goLog10)],
  // Go's sign: -1, +1, and the value itself for ±0 and NaN (as Math.sign).
  ['sgn', elementwise(Math.sign)],
  ['sin', elementwise(Math.sin)],
  ['cos', elementwise(Math.cos)],
  ['tan', elementwise(Math.tan)],
  ['asin', elementwise(Math.asin)],
  ['acos', elementwise(Math.acos)],
  ['atan', elementwise(Math.atan)],
  ['sinh', elementwise(Math.sinh)],
  ['cosh', elementwise(Math.cosh)],
  ['tanh', elementwise(Math.tanh)],
  ['asinh', elementwise(Math.asinh)],
  ['acosh', elementwise(Math.acosh)],
  ['atanh', elementwise(Math.atanh)],
  ['deg', elementwise((v) => (v * 180) / Math.PI)],
  ['rad', elementwise((v) => (v * Math.PI) / 180)],
  ['pi', () => ({ kind: 'scalar', v: Math.PI })],
  ['round', round],
  ['clamp', clamp],
  ['clamp_min', (args, ctx) => { const min = scalarArg(args, 1); return perElement(vectorArg(args, 0), ctx, (v) => Math.max(min, v)); }],
  ['clamp_max', (args, ctx) => { const max = scalarArg(args, 1); return perElement(vectorArg(args, 0), ctx, (v) => Math.min(max, v)); }],
]);

function elementwise(f: (v: number) => number): FunctionImpl {
  return (args, ctx) => perElement(vectorArg(args, 0), ctx, f);
}

/**
 * round(v, to_nearest=1): to the nearest multiple, ties up (-2.5 → -2). Prometheus multiplies
 * by the inverse of to_nearest rather than dividing by it: fewer floating-point surprises
 * (round(x, 0.1) gives 0.3, not 0.30000000000000004, for 0.25 < x < 0.35).
 */
function round(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const toNearest = args.length >= 2 ? scalarArg(args, 1) : 1;
  const inverse = 1 / toNearest;
  return perElement(vectorArg(args, 0), ctx, (v) => Math.floor(v * inverse + 0.5) / inverse);
}

/** clamp(v, min, max): nothing at all when min > max (Prometheus returns an empty vector then). */
function clamp(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const min = scalarArg(args, 1);
  const max = scalarArg(args, 2);
  if (max < min) return vectorResult([]);
  return perElement(vectorArg(args, 0), ctx, (v) => Math.max(min, Math.min(max, v)));
}
