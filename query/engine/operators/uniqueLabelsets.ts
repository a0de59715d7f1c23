import { VigilError } from '../../../core/index.js';
import type { VectorElement } from '../types.js';
import { keyOf, labelsOf } from './matching.js';

/**
 * Prometheus refuses a step whose result holds two elements with the same label set (after a
 * binary operator dropped the metric name, say): "vector cannot contain metrics with the same
 * labelset".
 */
export function assertUniqueLabelsets(vector: readonly VectorElement[]): void {
  if (vector.length < 2) return;
  const seen = new Set<string>();
  for (const element of vector) {
    const key = keyOf(element.labels, labelsOf(element.labels));
    if (seen.has(key)) throw new VigilError('execution', 'vector cannot contain metrics with the same labelset');
    seen.add(key);
  }
}
