import type { Labels } from '../../core/index.js';
import { labelPairs, VigilError } from '../../core/index.js';
import type { VectorElement } from './types.js';

/**
 * A string that is equal for equal label sets, computed once per label object: selectors and
 * dropMetricName hand out the same object for a series at every step, so a pass over many
 * steps computes few keys.
 */
const keys = new WeakMap<Labels, string>();

export function labelsKey(labels: Labels): string {
  let key = keys.get(labels);
  if (key === undefined) {
    key = labelPairs(labels)
      .map(([n, v]) => `${n}\u0000${v}`)
      .join('\u0001');
    keys.set(labels, key);
  }
  return key;
}

/** Prometheus' error when one step's vector holds two elements with the same labels (after a function or operator dropped `__name__`). */
export function duplicateLabelsetError(): VigilError {
  return new VigilError('execution', 'vector cannot contain metrics with the same labelset');
}

export function checkDistinctLabels(vector: readonly VectorElement[]): void {
  if (vector.length < 2) return;
  const seen = new Set<string>();
  for (const e of vector) {
    const key = labelsKey(e.labels);
    if (seen.has(key)) throw duplicateLabelsetError();
    seen.add(key);
  }
}
