import type { SubqueryExpr } from '../promql/index.js';
import type { EvalContext, Evaluate, RangeWindows, StepValue } from './evalTypes.js';
import { atTimeMs } from './selectorEval.js';
import { asPerStep } from './seriesSteps.js';
import { countPoints, toColumns, vectorStepsToMatrix } from './stepMatrix.js';
import type { Steps } from './stepTimes.js';
import { stepTime, subquerySteps } from './stepTimes.js';
import { sortByLabels } from './labelOrder.js';

/**
 * `expr[range:step] offset o @ t` over a pass: the inner expression is evaluated once, over
 * every aligned inner step the pass's windows need, and each outer step then sees the points in
 * its closed window [t - o - range, t - o] (t the `@` time when there is one), as a range
 * selector would. Its points stay in memory while the query runs: they count against the
 * query's sample budget.
 */
export async function subqueryEval(ctx: EvalContext, expr: SubqueryExpr, steps: Steps, evaluate: Evaluate): Promise<StepValue> {
  const at = atTimeMs(ctx, expr.at);
  const outerStart = at ?? steps.startMs;
  const outerEnd = at ?? steps.endMs;
  const stepMs = expr.stepMs > 0 ? expr.stepMs : ctx.defaultSubqueryStepMs;
  const inner = subquerySteps(outerStart, outerEnd, expr.rangeMs, stepMs, expr.offsetMs);
  const windowEnd = (i: number): number => (at ?? stepTime(steps, i)) - expr.offsetMs;
  const bounds: RangeWindows['bounds'] = (i) => ({ startMs: windowEnd(i) - expr.rangeMs, endMs: windowEnd(i) });
  if (inner.count === 0) return { kind: 'matrix', windows: { series: [], bounds } };

  const value = asPerStep(await evaluate(expr.expr, inner), inner);
  if (value.kind !== 'vector') throw new Error(`a subquery of a ${value.kind}: the parser lets through only instant vectors`);
  const series = sortByLabels(vectorStepsToMatrix(value, inner));
  ctx.budget.charge(countPoints(series));
  return { kind: 'matrix', windows: { series: toColumns(series), bounds } };
}
