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

const withoutName = new WeakMap<Labels, Labels>();

/**
 * Labels without `__name__`: what most functions and arithmetic return (Prometheus' DropMetricName).
 * The same input object always gives the same output object, so that a series keeps one label
 * object across the steps of a range query and the evaluator's per-object label keys stay cached.
 */
export function dropMetricName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  let rest = withoutName.get(labels);
  if (rest === undefined) {
    const { __name__: _name, ...others } = labels;
    // A frozen input (a stored series') gives a frozen output, so the memos keyed on frozen label sets (sorting, JSON) apply to it too.
    rest = Object.isFrozen(labels) ? Object.freeze(others) : others;
    withoutName.set(labels, rest);
  }
  return rest;
}
