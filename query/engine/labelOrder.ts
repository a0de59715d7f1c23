import type { Labels } from '../../core/index.js';
import type { LabelPairs } from '../../core/index.js';
import { labelPairs, sortByLabelSet } from '../../core/index.js';

type Pairs = LabelPairs;

/**
 * Orders label sets as Prometheus does: pair by pair in label-name order, names before values,
 * and a set that is a prefix of another first. Results are returned in this order.
 */
export function compareLabels(a: Labels, b: Labels): number {
  return comparePairs(labelPairs(a), labelPairs(b));
}

function comparePairs(pa: Pairs, pb: Pairs): number {
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = pa[i] as readonly [string, string];
    const [bn, bv] = pb[i] as readonly [string, string];
    if (an !== bn) return an < bn ? -1 : 1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Sorts items by their labels in place, in the order above, keying each label set once. */
export const sortByLabels = sortByLabelSet;
