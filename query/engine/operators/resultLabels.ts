import type { Labels } from '../../../core/index.js';
import { METRIC_NAME } from '../../../core/index.js';
import type { BinaryOp, VectorMatching } from '../../promql/index.js';
import { dropsMetricName } from './arithmetic.js';

/**
 * The labels of one result of a vector-vector arithmetic or comparison (Prometheus'
 * resultMetric): start from the "many" side (the left side after one-to-many was swapped),
 * drop the metric name for arithmetic, reduce to the matching labels for one-to-one
 * (`on` keeps them, `ignoring` removes them), then copy `group_x (…)` labels from the "one"
 * side, removing those the "one" side lacks.
 */
export function resultLabels(many: Labels, one: Labels, op: BinaryOp, matching: VectorMatching): Labels {
  const out: Record<string, string> = { ...many };
  if (dropsMetricName(op)) delete out[METRIC_NAME];
  if (matching.card === 'one-to-one') {
    const listed = new Set(matching.labels);
    for (const name of Object.keys(out)) {
      if (listed.has(name) !== matching.on) delete out[name];
    }
  }
  for (const name of matching.include) {
    const value = one[name];
    if (value !== undefined && value !== '') out[name] = value;
    else delete out[name];
  }
  return out;
}
