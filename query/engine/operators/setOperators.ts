import type { SetOp, VectorMatching } from '../../promql/index.js';
import type { VectorElement } from '../types.js';
import { signatureFn } from './matching.js';

/**
 * `and`, `or`, `unless` (Prometheus' VectorAnd/Or/Unless): elements pass whole, labels (the
 * metric name included) and values untouched, depending on whether their signature occurs on
 * the other side. `or` keeps every left element, then the right ones whose signature no left
 * element has.
 */
export function setOperation(op: SetOp, lhs: readonly VectorElement[], rhs: readonly VectorElement[], matching: VectorMatching, t: number): VectorElement[] {
  const signature = signatureFn(matching.on, matching.labels);
  const atT = (e: VectorElement): VectorElement => (e.t === t ? e : { labels: e.labels, t, v: e.v });
  switch (op) {
    case 'and': {
      if (lhs.length === 0 || rhs.length === 0) return [];
      const right = new Set(rhs.map((e) => signature(e.labels)));
      return lhs.filter((e) => right.has(signature(e.labels))).map(atT);
    }
    case 'or': {
      if (lhs.length === 0) return rhs.map(atT);
      if (rhs.length === 0) return lhs.map(atT);
      const left = new Set(lhs.map((e) => signature(e.labels)));
      return [...lhs, ...rhs.filter((e) => !left.has(signature(e.labels)))].map(atT);
    }
    case 'unless': {
      if (lhs.length === 0 || rhs.length === 0) return lhs.map(atT);
      const right = new Set(rhs.map((e) => signature(e.labels)));
      return lhs.filter((e) => !right.has(signature(e.labels))).map(atT);
    }
  }
}
