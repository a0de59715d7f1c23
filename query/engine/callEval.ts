import { quote, VigilError } from '../../core/index.js';
import type { Call, Expr } from '../promql/index.js';
import type { EvalContext, Evaluate, StepValue } from './evalTypes.js';
import type { CallContext } from './functions/functionTypes.js';
import { FUNCTION_IMPLS, RANGE_FUNCTIONS_BY_SERIES } from './functions/index.js';
import { checkDistinctLabels } from './labelKeys.js';
import { evalRangeFunction } from './rangeCallEval.js';
import { evalVectorSelector, readSelector, vectorSelectorRange } from './selectorEval.js';
import { asPerStep } from './seriesSteps.js';
import { WindowSlicer } from './windowSlicer.js';
import type { Steps } from './stepTimes.js';
import { stepTime } from './stepTimes.js';
import type { VectorElement } from './types.js';
import type { EvalValue } from './values.js';

/**
 * A function call over a pass: arguments are evaluated once for the whole pass, then the
 * implementation is called step by step with that step's values. A range-vector argument
 * becomes, at each step, the series with points in that step's window. A function with a
 * per-series implementation whose argument is a range vector skips the steps: see rangeCallEval.ts.
 */
export async function callEval(ctx: EvalContext, call: Call, steps: Steps, evaluate: Evaluate): Promise<StepValue> {
  const impl = FUNCTION_IMPLS.get(call.func.name);
  if (impl === undefined) throw new VigilError('bad_data', `function call ${quote(`${call.func.name}()`)} is not supported yet`);

  const bySeries = RANGE_FUNCTIONS_BY_SERIES.get(call.func.name);
  if (bySeries !== undefined && call.args.length === 1) {
    const arg = await evaluate(call.args[0] as Expr, steps);
    if (arg.kind !== 'matrix') throw new Error(`${call.func.name}() of a ${arg.kind}: the parser lets through only range vectors`);
    return evalRangeFunction(bySeries, arg.windows, steps);
  }

  const args: StepValue[] = [];
  for (const arg of call.args) args.push(asPerStep(await evaluateArg(ctx, call, arg, steps, evaluate), steps));
  const slicers = args.map((a) => (a.kind === 'matrix' ? new WindowSlicer(a.windows) : undefined));

  const scalarOut = call.func.returnType === 'scalar' ? new Float64Array(steps.count) : undefined;
  const vectorOut: VectorElement[][] = [];
  for (let i = 0; i < steps.count; i++) {
    const t = stepTime(steps, i);
    let range: { startMs: number; endMs: number } | undefined;
    const stepArgs = args.map((a, k): EvalValue => {
      switch (a.kind) {
        case 'scalar':
          return { kind: 'scalar', v: a.values[i] as number };
        case 'string':
          return a;
        case 'vector':
          return { kind: 'vector', elements: a.steps[i] ?? [] };
        case 'series':
          throw new Error('asPerStep() turned every argument into the per-step form');
        case 'matrix': {
          const window = (slicers[k] as WindowSlicer).at(i);
          range = window;
          return { kind: 'matrix', series: window.series };
        }
      }
    });
    const callCtx: CallContext = range === undefined ? { t, argExprs: call.args } : { t, argExprs: call.args, rangeStartMs: range.startMs, rangeEndMs: range.endMs };
    const result = impl(stepArgs, callCtx);
    if (scalarOut !== undefined) {
      if (result.kind !== 'scalar') throw new Error(`${call.func.name}() returned a ${result.kind}, its signature says scalar`);
      scalarOut[i] = result.v;
    } else {
      if (result.kind !== 'vector') throw new Error(`${call.func.name}() returned a ${result.kind}, its signature says vector`);
      checkDistinctLabels(result.elements);
      vectorOut.push(result.elements as VectorElement[]);
    }
  }
  return scalarOut !== undefined ? { kind: 'scalar', values: scalarOut } : { kind: 'vector', steps: vectorOut };
}

/**
 * timestamp() of a plain selector returns the time of the sample the selector picked, not the
 * evaluation time (Prometheus special-cases it the same way); every other argument is
 * evaluated as usual.
 */
async function evaluateArg(ctx: EvalContext, call: Call, arg: Expr, steps: Steps, evaluate: Evaluate): Promise<StepValue> {
  const inner = withoutParens(arg);
  if (call.func.name === 'timestamp' && inner.type === 'VectorSelector') {
    const { minT, maxT } = vectorSelectorRange(ctx, inner, steps);
    return evalVectorSelector(ctx, inner, steps, await readSelector(ctx, inner.matchers, minT, maxT), true);
  }
  return evaluate(arg, steps);
}

export function withoutParens(expr: Expr): Expr {
  let e = expr;
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}
