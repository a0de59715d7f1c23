import type { VectorElement } from '../types.js';
import { aggregate } from './aggregate.js';
import type { Operators } from './operatorTypes.js';
import { scalarScalar, scalarVector } from './scalarBinary.js';
import { setOperation } from './setOperators.js';
import { assertUniqueLabelsets } from './uniqueLabelsets.js';
import { arithmeticOrComparison } from './vectorBinary.js';

export type { Operators } from './operatorTypes.js';
// For the evaluator's own vector results (unary minus, functions that drop the name): the same check and message.
export { assertUniqueLabelsets } from './uniqueLabelsets.js';

function checked(result: VectorElement[]): VectorElement[] {
  assertUniqueLabelsets(result);
  return result;
}

/**
 * The operator half of the evaluator (see operatorTypes.ts). Results of binary operators are
 * checked for repeated label sets, as Prometheus checks every step's result.
 */
export const operators: Operators = {
  aggregate,
  vectorBinary(op, lhs, rhs, matching, returnBool, t) {
    if (op === 'and' || op === 'or' || op === 'unless') return checked(setOperation(op, lhs, rhs, matching, t));
    return checked(arithmeticOrComparison(op, lhs, rhs, matching, returnBool, t));
  },
  scalarVectorBinary(op, vector, scalar, scalarOnLeft, returnBool, t) {
    return checked(scalarVector(op, vector, scalar, scalarOnLeft, returnBool, t));
  },
  scalarBinary: scalarScalar,
};
// A scalar and columnar series (the evaluator's fast path for `rate(x[5m]) * 100` and the like).
export { scalarSeries } from './scalarBinary.js';
// Folding whole columnar series at once (the evaluator's fast path for sum, avg, count, min, max, group).
export type { SeriesFoldOp } from './seriesAggregate.js';
export { aggregateSeries, isSeriesFoldOp } from './seriesAggregate.js';
// Go's number and string forms, which count_values and error messages must reproduce.
export { formatFloatF, goQuote, goSpecialFloat, labelsString } from './goFormat.js';
