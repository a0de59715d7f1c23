import type { ArithmeticOp, ComparisonOp } from '../../promql/index.js';
import type { Labels } from '../../../core/index.js';
import type { SeriesColumn } from '../evalTypes.js';
import { labelsKey } from '../labelKeys.js';
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

/**
 * scalarVector over a whole pass of columnar series (SeriesColumn): the same per-element rule
 * at every step where a series is present, with no object per step. `scalars[i]` is the scalar
 * at step i. Undefined when dropping the metric name makes two series' label sets equal: whether
 * that is an error depends on whether they meet at a step, which the per-step path decides.
 */
export function scalarSeries(
  op: ArithmeticOp | ComparisonOp,
  series: readonly SeriesColumn[],
  scalars: Float64Array,
  scalarOnLeft: boolean,
  returnBool: boolean,
): SeriesColumn[] | undefined {
  const dropName = dropsMetricName(op) || returnBool;
  if (dropName && hasRepeatedLabelSets(series.map((s) => dropMetricName(s.labels)))) return undefined;
  const comparison = isComparison(op);
  const out: SeriesColumn[] = [];
  for (const s of series) {
    const values = new Float64Array(s.values.length);
    const present = new Uint8Array(s.values.length);
    let any = false;
    for (let i = 0; i < values.length; i++) {
      if (s.present[i] !== 1) continue;
      const v = s.values[i] as number;
      const scalar = scalars[i] as number;
      const result = scalarOnLeft ? elementBinop(op, scalar, v) : elementBinop(op, v, scalar);
      if (returnBool) values[i] = result.keep ? 1 : 0;
      else if (!result.keep) continue;
      else values[i] = comparison ? v : result.value;
      present[i] = 1;
      any = true;
    }
    if (any) out.push({ labels: dropName ? dropMetricName(s.labels) : s.labels, values, present });
  }
  return out;
}

function hasRepeatedLabelSets(labelSets: readonly Labels[]): boolean {
  const seen = new Set<string>();
  for (const labels of labelSets) {
    const key = labelsKey(labels);
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Two scalars: arithmetic, or a comparison as 0/1 (the parser insists on `bool` there). */
export function scalarScalar(op: ArithmeticOp | ComparisonOp, lhs: number, rhs: number): number {
  if (isComparison(op)) return compare(op, lhs, rhs) ? 1 : 0;
  return arithmetic(op, lhs, rhs);
}
