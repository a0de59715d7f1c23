import { throwIfAborted } from '../../storage/index.js';
import type { Expr, UnaryExpr } from '../promql/index.js';
import { aggregateEval } from './aggregateEval.js';
import { binaryEval } from './binaryEval.js';
import { callEval } from './callEval.js';
import type { EvalContext, Evaluate, StepValue } from './evalTypes.js';
import { duplicateLabelsetError, labelsKey } from './labelKeys.js';
import { evalMatrixSelector, evalVectorSelector, matrixSelectorRange, readSelector, vectorSelectorRange } from './selectorEval.js';
import { asPerStep, repeatSeries } from './seriesSteps.js';
import { isStepInvariant } from './stepInvariance.js';
import type { Steps } from './stepTimes.js';
import { singleStep, stepTime } from './stepTimes.js';
import { subqueryEval } from './subqueryEval.js';
import type { VectorElement } from './types.js';
import { dropMetricName } from './values.js';

/**
 * Walks the syntax tree once per query: every node is evaluated over all the steps of its pass
 * at once (Prometheus' rangeEval), so that selectors read the store once and per-step work is
 * plain loops. Operators and functions are called one step at a time, except range functions
 * with a per-series implementation and the simple aggregations over their output, which work
 * series by series and hand over the columnar 'series' value (see rangeCallEval.ts, seriesSteps.ts).
 */
export function evaluator(ctx: EvalContext): Evaluate {
  const evaluate: Evaluate = async (expr, steps) => {
    throwIfAborted(ctx.signal);
    if (steps.count > 1 && isStepInvariant(expr) && !returnsItsOwnSteps(expr)) {
      // `@` (or only literals) below: one evaluation at the first step stands for all of them.
      return repeatForEveryStep(await evaluateNode(expr, singleStep(steps.startMs, steps.intervalMs)), steps);
    }
    return evaluateNode(expr, steps);
  };

  const evaluateNode = async (expr: Expr, steps: Steps): Promise<StepValue> => {
    switch (expr.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', values: new Float64Array(steps.count).fill(expr.value) };
      case 'StringLiteral':
        return { kind: 'string', s: expr.value };
      case 'ParenExpr':
        return evaluate(expr.expr, steps);
      case 'UnaryExpr':
        return unary(expr, asPerStep(await evaluate(expr.expr, steps), steps));
      case 'VectorSelector': {
        const { minT, maxT } = vectorSelectorRange(ctx, expr, steps);
        return evalVectorSelector(ctx, expr, steps, await readSelector(ctx, expr.matchers, minT, maxT), false);
      }
      case 'MatrixSelector': {
        const { minT, maxT } = matrixSelectorRange(ctx, expr, steps);
        return evalMatrixSelector(ctx, expr, steps, await readSelector(ctx, expr.vector.matchers, minT, maxT, expr.rangeMs));
      }
      case 'SubqueryExpr':
        return subqueryEval(ctx, expr, steps, evaluate);
      case 'BinaryExpr':
        return binaryEval(expr, steps, evaluate);
      case 'AggregateExpr':
        return aggregateEval(expr, steps, evaluate);
      case 'Call':
        return callEval(ctx, expr, steps, evaluate);
    }
  };

  return evaluate;
}

/** Range vectors carry their own points and windows: Prometheus does not repeat those per step either. */
function returnsItsOwnSteps(expr: Expr): boolean {
  return expr.type === 'NumberLiteral' || expr.type === 'StringLiteral' || expr.type === 'MatrixSelector' || expr.type === 'SubqueryExpr';
}

function repeatForEveryStep(once: StepValue, steps: Steps): StepValue {
  switch (once.kind) {
    case 'scalar':
      return { kind: 'scalar', values: new Float64Array(steps.count).fill(once.values[0] as number) };
    case 'vector': {
      const first = once.steps[0] ?? [];
      return { kind: 'vector', steps: Array.from({ length: steps.count }, (_, i) => first.map((e) => ({ labels: e.labels, t: stepTime(steps, i), v: e.v }))) };
    }
    case 'series':
      return { kind: 'series', series: repeatSeries(once.series, steps) };
    default:
      return once;
  }
}

/**
 * `-x` negates and drops `__name__`; like Prometheus, two series that become one are an error
 * even when they never share a step. `+x` is x itself.
 */
function unary(expr: UnaryExpr, value: StepValue): StepValue {
  if (expr.op === '+') return value;
  if (value.kind === 'scalar') return { kind: 'scalar', values: value.values.map((v) => -v) };
  if (value.kind !== 'vector') throw new Error(`unary minus on a ${value.kind}: the parser lets through only scalars and instant vectors`);
  const sourceOf = new Map<string, string>();
  const steps = value.steps.map((vector) =>
    vector.map((e): VectorElement => {
      const labels = dropMetricName(e.labels);
      const key = labelsKey(labels);
      const source = labelsKey(e.labels);
      const seen = sourceOf.get(key);
      if (seen === undefined) sourceOf.set(key, source);
      else if (seen !== source) throw duplicateLabelsetError();
      return { labels, t: e.t, v: -e.v };
    }),
  );
  return { kind: 'vector', steps };
}
