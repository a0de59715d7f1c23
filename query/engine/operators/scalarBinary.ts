import type { ArithmeticOp, ComparisonOp } from '../../promql/index.js';
import type { VectorElement } from '../types.js';
import { dropMetricName } from '../values.js';
import { arithmetic, dropsMetricName } from './arithmetic.js';
import { compare, elementBinop, isComparison } from './comparison.js';

/**
 * A vector and a scalar (Prometheus' VectorscalarBinop): the operator runs per element with
 * the operands in their written order. A comparison keeps the vector's value even when the
 * scalar is on the left (`1 < x` yields x's values); with `bool` it yields 0/1. Arithmetic and
 * `bool` drop the metric name.
 */
export function scalarVector(
  op: ArithmeticOp | ComparisonOp,
  vector: readonly VectorElement[],
  scalar: number,
  scalarOnLeft: boolean,
  returnBool: boolean,
  t: number,
): VectorElement[] {
  const dropName = dropsMetricName(op) || returnBool;
  const out: VectorElement[] = [];
  for (const element of vector) {
    const [l, r] = scalarOnLeft ? [scalar, element.v] : [element.v, scalar];
    const result = elementBinop(op, l, r);
    let value = isComparison(op) ? element.v : result.value;
    if (returnBool) value = result.keep ? 1 : 0;
    else if (!result.keep) continue;
    out.push({ labels: dropName ? dropMetricName(element.labels) : element.labels, t, v: value });
  }
  return out;
}

/** Two scalars: arithmetic, or a comparison as 0/1 (the parser insists on `bool` there). */
export function scalarScalar(op: ArithmeticOp | ComparisonOp, lhs: number, rhs: number): number {
  if (isComparison(op)) return compare(op, lhs, rhs) ? 1 : 0;
  return arithmetic(op, lhs, rhs);
}
