import type { AggregateOp, BinaryOp, ComparisonOp, SetOp } from './ast.js';
import type { Token } from './lexer.js';

/**
 * PromQL's binary operators and their precedence, lowest first, as in Prometheus'
 * generated_parser.y: `or` < `and unless` < comparisons < `+ -` < `* / % atan2` < `^`.
 * All are left-associative except `^`. Unary minus binds like `*` (so `-a ^ b` is `-(a ^ b)`),
 * and the postfix `[…]`, `offset` and `@` bind tighter than everything.
 */
const precedence: Readonly<Record<BinaryOp, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

/** The precedence a unary sign gives its operand: only `^` (and postfix modifiers) bind tighter. */
export const UNARY_OPERAND_PRECEDENCE = 6;

export function precedenceOf(op: BinaryOp): number {
  return precedence[op];
}

export function isRightAssociative(op: BinaryOp): boolean {
  return op === '^';
}

/** The binary operator a token spells, or undefined. Word operators are case-insensitive (`AND`). */
export function binaryOperatorOf(t: Token): BinaryOp | undefined {
  if (t.kind !== 'operator' && t.kind !== 'keyword') return undefined;
  const text = t.kind === 'keyword' ? t.text.toLowerCase() : t.text;
  return Object.hasOwn(precedence, text) ? (text as BinaryOp) : undefined;
}

const comparisons: ReadonlySet<string> = new Set(['==', '!=', '<=', '<', '>=', '>']);
const setOperators: ReadonlySet<string> = new Set(['and', 'or', 'unless']);

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return comparisons.has(op);
}

export function isSetOperator(op: BinaryOp): op is SetOp {
  return setOperators.has(op);
}

/** The aggregations that take a parameter before the expression: `topk(3, x)`, `count_values("v", x)`. */
export function aggregationTakesParam(op: AggregateOp): boolean {
  return op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
}
