import type { AggregateOp, ArithmeticOp, BinaryOp, ComparisonOp, VectorMatching } from '../../promql/index.js';
import type { VectorElement } from '../types.js';

/**
 * The operator half of the evaluator: pure functions over one step's instant vectors, so that the
 * evaluator only walks the tree. Element order in results is unspecified (the evaluator sorts).
 * Errors Prometheus raises at run time (many-to-one matching, duplicate series in the result) are
 * VigilError('execution', <Prometheus' message>).
 */
export interface Operators {
  /** `op [by|without (grouping)] ([param,] vector)` at time t; param is a number (topk, bottomk, quantile) or a string (count_values). */
  aggregate(op: AggregateOp, vector: readonly VectorElement[], grouping: readonly string[], without: boolean, param: number | string | undefined, t: number): VectorElement[];
  /** Both sides instant vectors: arithmetic, comparisons (filter, or 0/1 with `bool`) and set operators, with vector matching. */
  vectorBinary(op: BinaryOp, lhs: readonly VectorElement[], rhs: readonly VectorElement[], matching: VectorMatching, returnBool: boolean, t: number): VectorElement[];
  /** One side a scalar (`scalarOnLeft` says which): arithmetic or comparison applied per element. */
  scalarVectorBinary(op: ArithmeticOp | ComparisonOp, vector: readonly VectorElement[], scalar: number, scalarOnLeft: boolean, returnBool: boolean, t: number): VectorElement[];
  /** Both sides scalars (comparisons need `bool`, which the parser enforces). */
  scalarBinary(op: ArithmeticOp | ComparisonOp, lhs: number, rhs: number): number;
}
