import type { AggregateExpr } from '../promql/index.js';
import type { Evaluate, StepValue } from './evalTypes.js';
import { aggregateSeries, isSeriesFoldOp, operators } from './operators/index.js';
import { asPerStep } from './seriesSteps.js';
import type { Steps } from './stepTimes.js';
import { stepTime } from './stepTimes.js';
import type { VectorElement } from './types.js';

/**
 * An aggregation over a pass. Its parameter is evaluated like any expression: topk's k and
 * quantile's φ may change from step to step; count_values' label is a string. sum, avg, count,
 * min, max and group over a columnar input (a range function's output, say) fold whole series
 * at once and stay columnar; everything else goes step by step.
 */
export async function aggregateEval(expr: AggregateExpr, steps: Steps, evaluate: Evaluate): Promise<StepValue> {
  const param = expr.param === null ? undefined : await evaluate(expr.param, steps);
  const evaluated = await evaluate(expr.expr, steps);
  if (evaluated.kind === 'series' && isSeriesFoldOp(expr.op)) {
    return { kind: 'series', series: aggregateSeries(expr.op, evaluated.series, expr.grouping, expr.without, steps.count) };
  }
  const input = asPerStep(evaluated, steps);
  if (input.kind !== 'vector') throw new Error(`aggregation over a ${input.kind}: the parser lets through only instant vectors`);
  const out: VectorElement[][] = [];
  for (let i = 0; i < steps.count; i++) {
    const p = param === undefined ? undefined : param.kind === 'string' ? param.s : param.kind === 'scalar' ? (param.values[i] as number) : undefined;
    out.push(operators.aggregate(expr.op, input.steps[i] ?? [], expr.grouping, expr.without, p, stepTime(steps, i)));
  }
  return { kind: 'vector', steps: out };
}
