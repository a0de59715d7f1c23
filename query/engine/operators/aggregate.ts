import { VigilError } from '../../../core/index.js';
import type { AggregateOp } from '../../promql/index.js';
import type { VectorElement } from '../types.js';
import { countValues } from './countValues.js';
import { fold, isFoldOp } from './foldAggregators.js';
import { groupVector } from './grouping.js';
import { kOf, selectK } from './kSelection.js';
import { quantile } from '../quantile.js';

/** One aggregation over one step's vector (Prometheus' aggregation()): groups, then one result per group (k per group for topk/bottomk). */
export function aggregate(
  op: AggregateOp,
  vector: readonly VectorElement[],
  grouping: readonly string[],
  without: boolean,
  param: number | string | undefined,
  t: number,
): VectorElement[] {
  switch (op) {
    case 'count_values':
      return countValues(vector, grouping, without, stringParam(op, param), t);
    case 'topk':
    case 'bottomk': {
      // k is checked before anything else, even for an empty vector, as Prometheus does.
      const k = kOf(numberParam(op, param));
      if (k < 1) return [];
      return selectK(op === 'topk', groupVector(vector, grouping, without), k, t);
    }
    case 'quantile': {
      const phi = numberParam(op, param);
      return groupVector(vector, grouping, without).map((g) => ({ labels: g.labels, t, v: quantile(phi, g.members.map((e) => e.v)) }));
    }
    default: {
      if (!isFoldOp(op)) throw new VigilError('internal', `unknown aggregation ${op}`);
      return groupVector(vector, grouping, without).map((g) => ({ labels: g.labels, t, v: fold(op, g.members.map((e) => e.v)) }));
    }
  }
}

// The parser guarantees the parameter's type; these only turn a broken evaluator into a clear error.
function numberParam(op: AggregateOp, param: number | string | undefined): number {
  if (typeof param !== 'number') throw new VigilError('internal', `${op} needs a number parameter`);
  return param;
}

function stringParam(op: AggregateOp, param: number | string | undefined): string {
  if (typeof param !== 'string') throw new VigilError('internal', `${op} needs a string parameter`);
  return param;
}
