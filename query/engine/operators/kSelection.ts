import { VigilError } from '../../../core/index.js';
import type { VectorElement } from '../types.js';
import { formatGoFloat } from '../../promql/index.js';
import type { Group } from './grouping.js';
import { GoHeap } from './goHeap.js';

// Go converts a float to int64 only within these bounds; Prometheus refuses k outside them.
const MAX_INT64 = 9223372036854774784;
const MIN_INT64 = -9223372036854775808;

/**
 * k for topk/bottomk as Prometheus 2.42 reads it: truncated toward zero (2.9 → 2, 0.5 → 0),
 * an error when it does not fit an int64 (NaN and ±Inf included).
 */
export function kOf(param: number): number {
  if (!(param <= MAX_INT64 && param >= MIN_INT64)) {
    throw new VigilError('execution', `Scalar value ${formatGoFloat(param)} overflows int64`);
  }
  return Math.trunc(param);
}

/**
 * The k largest (topk) or smallest (bottomk) elements of each group, labels untouched.
 * Candidates live in a heap whose root is the first to go: NaN counts as the worst value, an
 * element replaces the root only when strictly better (or when the root is NaN), so among equal
 * values the earlier ones stay. Each group's survivors come out best first, NaN last.
 */
export function selectK(largest: boolean, groups: readonly Group[], k: number, t: number): VectorElement[] {
  if (k < 1) return [];
  const worse = largest ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  const less = (a: VectorElement, b: VectorElement) => Number.isNaN(a.v) || worse(a.v, b.v);
  const out: VectorElement[] = [];
  for (const group of groups) {
    const heap = new GoHeap<VectorElement>(less);
    for (const element of group.members) {
      const root = heap.peek();
      if (heap.size < k || root === undefined || worse(root.v, element.v) || Number.isNaN(root.v)) {
        if (heap.size >= k) heap.pop();
        heap.push(element);
      }
    }
    const best = [...heap.items].sort((a, b) => bestFirst(a.v, b.v, worse));
    for (const element of best) out.push({ labels: element.labels, t, v: element.v });
  }
  return out;
}

function bestFirst(a: number, b: number, worse: (a: number, b: number) => boolean): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return worse(b, a) ? -1 : worse(a, b) ? 1 : 0;
}
