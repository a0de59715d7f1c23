/**
 * SCAFFOLD, to be replaced at merge by the operators branch: only what the evaluator's own tests
 * use (sum/count/topk, arithmetic, comparisons against a scalar, one-to-one vector matching),
 * written the simplest correct way. Keep everything here so the merge swaps this one file.
 */
import type { Labels } from '../../../core/index.js';
import { sortedLabelPairs, VigilError } from '../../../core/index.js';
import type { ArithmeticOp, ComparisonOp } from '../../promql/index.js';
import type { VectorElement } from '../types.js';
import { dropMetricName } from '../values.js';
import type { Operators } from './operatorTypes.js';

function arithmetic(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      throw new VigilError('bad_data', `scaffold: operator ${op} not implemented`);
  }
}

function compare(op: string, a: number, b: number): boolean | undefined {
  switch (op) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '==':
      return a === b;
    default:
      return undefined;
  }
}

function pick(labels: Labels, names: readonly string[], keep: boolean): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([n]) => names.includes(n) === keep && (keep || n !== '__name__')));
}

function key(labels: Labels): string {
  return JSON.stringify(sortedLabelPairs(labels));
}

export const operators: Operators = {
  aggregate(op, vector, grouping, without, param, t) {
    const groups = new Map<string, { labels: Labels; elements: VectorElement[] }>();
    for (const e of vector) {
      const labels = pick(e.labels, grouping, !without);
      const k = key(labels);
      const g = groups.get(k) ?? { labels, elements: [] };
      g.elements.push(e);
      groups.set(k, g);
    }
    const out: VectorElement[] = [];
    for (const g of groups.values()) {
      if (op === 'sum') out.push({ labels: g.labels, t, v: g.elements.reduce((a, e) => a + e.v, 0) });
      else if (op === 'count') out.push({ labels: g.labels, t, v: g.elements.length });
      else if (op === 'topk') out.push(...[...g.elements].sort((a, b) => b.v - a.v).slice(0, param as number));
      else throw new VigilError('bad_data', `scaffold: aggregation ${op} not implemented`);
    }
    return out;
  },
  vectorBinary(op, lhs, rhs, matching, _returnBool, t) {
    const sig = (l: Labels): string => key(matching.on ? pick(l, matching.labels, true) : pick(l, matching.labels, false));
    const right = new Map(rhs.map((e) => [sig(e.labels), e]));
    const out: VectorElement[] = [];
    for (const l of lhs) {
      const r = right.get(sig(l.labels));
      if (r !== undefined) out.push({ labels: matching.on ? pick(l.labels, matching.labels, true) : dropMetricName(l.labels), t, v: arithmetic(op, l.v, r.v) });
    }
    return out;
  },
  scalarVectorBinary(op, vector, scalar, scalarOnLeft, _returnBool, t) {
    const out: VectorElement[] = [];
    for (const e of vector) {
      const [a, b] = scalarOnLeft ? [scalar, e.v] : [e.v, scalar];
      const kept = compare(op, a, b);
      if (kept === undefined) out.push({ labels: dropMetricName(e.labels), t, v: arithmetic(op, a, b) });
      else if (kept) out.push({ labels: e.labels, t, v: e.v });
    }
    return out;
  },
  scalarBinary(op: ArithmeticOp | ComparisonOp, lhs, rhs) {
    return arithmetic(op, lhs, rhs);
  },
};
