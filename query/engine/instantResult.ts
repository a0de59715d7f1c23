import type { Expr } from '../promql/index.js';
import type { StepValue } from './evalTypes.js';
import { withoutParens } from './callEval.js';
import { checkDistinctLabels } from './labelKeys.js';
import { sortByLabels } from './labelOrder.js';
import { WindowSlicer } from './windowSlicer.js';
import type { QueryValue } from './types.js';

/** Functions and aggregations whose output order is the answer: an instant query keeps it (Prometheus does not sort instant vectors). */
const ORDERING_CALLS = new Set(['sort', 'sort_desc']);
const ORDERING_AGGREGATIONS = new Set(['topk', 'bottomk']);

/**
 * An instant query's one-step value as the API returns it. Prometheus returns an instant vector
 * in evaluation order; Vigil sorts it by labels so that answers are stable, except where the
 * order is the point of the query (sort, sort_desc, topk, bottomk at the top).
 */
export function instantResult(expr: Expr, value: StepValue, timeMs: number): QueryValue {
  switch (value.kind) {
    case 'scalar':
      return { resultType: 'scalar', result: { t: timeMs, v: value.values[0] as number } };
    case 'string':
      return { resultType: 'string', result: { t: timeMs, value: value.s } };
    case 'matrix':
      return { resultType: 'matrix', result: sortByLabels(new WindowSlicer(value.windows).at(0).series) };
    case 'series':
      // Distinct labels by construction (see SeriesColumn): no check needed.
      return { resultType: 'vector', result: sortByLabels(value.series.filter((s) => s.present[0] === 1).map((s) => ({ labels: s.labels, t: timeMs, v: s.values[0] as number }))) };
    case 'vector': {
      const vector = (value.steps[0] ?? []).map((e) => ({ labels: e.labels, t: timeMs, v: e.v }));
      checkDistinctLabels(vector);
      return { resultType: 'vector', result: keepsOrder(expr) ? vector : sortByLabels(vector) };
    }
  }
}

function keepsOrder(expr: Expr): boolean {
  const top = withoutParens(expr);
  return (top.type === 'Call' && ORDERING_CALLS.has(top.func.name)) || (top.type === 'AggregateExpr' && ORDERING_AGGREGATIONS.has(top.op));
}
