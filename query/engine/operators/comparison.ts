import type { ArithmeticOp, BinaryOp, ComparisonOp } from '../../promql/index.js';
import { arithmetic } from './arithmetic.js';

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** A comparison of two floats, IEEE style: NaN compares unequal to everything, itself included. */
export function compare(op: ComparisonOp, lhs: number, rhs: number): boolean {
  switch (op) {
    case '==':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case '>':
      return lhs > rhs;
    case '<':
      return lhs < rhs;
    case '>=':
      return lhs >= rhs;
    case '<=':
      return lhs <= rhs;
  }
}

/**
 * One pair of sample values through an arithmetic or comparison operator (Prometheus'
 * vectorElemBinop): arithmetic always keeps its result; a comparison keeps the left value, and
 * only when it holds.
 */
export function elementBinop(op: ArithmeticOp | ComparisonOp, lhs: number, rhs: number): { value: number; keep: boolean } {
  if (isComparison(op)) return { value: lhs, keep: compare(op, lhs, rhs) };
  return { value: arithmetic(op, lhs, rhs), keep: true };
}
