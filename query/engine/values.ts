import type { Labels } from '../../core/index.js';
import type { MatrixSeries, VectorElement } from './types.js';

/**
 * What a PromQL expression evaluates to at one evaluation time, as the evaluator hands values to
 * functions and operators: plain data, one of Prometheus' four value types. Vectors and matrices
 * are in no particular order unless a function says otherwise (sort, sort_desc, topk).
 */
export type EvalValue =
  | { readonly kind: 'scalar'; readonly v: number }
  | { readonly kind: 'string'; readonly s: string }
  | { readonly kind: 'vector'; readonly elements: readonly VectorElement[] }
  | { readonly kind: 'matrix'; readonly series: readonly MatrixSeries[] };

/** Labels without `__name__`: what most functions and arithmetic return (Prometheus' DropMetricName). */
export function dropMetricName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const { __name__: _name, ...rest } = labels;
  return rest;
}
