import type { Expr } from '../promql/index.js';

/**
 * Functions whose result changes with the evaluation time even when their arguments do not
 * (Prometheus 2.42's AtModifierUnsafeFunctions): a call to one is never step-invariant.
 */
const TIME_DEPENDENT_FUNCTIONS = new Set(['days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'hour', 'minute', 'month', 'year', 'predict_linear', 'time', 'timestamp']);

const memo = new WeakMap<Expr, boolean>();

/**
 * Whether an expression gives the same result at every step, by Prometheus 2.42's rules
 * (preprocessExprHelper): a selector or subquery with `@`, literals, and nodes all of whose
 * inputs are. Such a subtree is evaluated once, at the pass's first step, and its result
 * repeated, which is what makes `@` cheap, and also what Prometheus answers where the rule is
 * loose: an aggregation's parameter is not looked at (`topk(scalar(y), x @ 100)` takes the
 * parameter's first value for every step).
 */
export function isStepInvariant(expr: Expr): boolean {
  let known = memo.get(expr);
  if (known === undefined) {
    known = decide(expr);
    memo.set(expr, known);
  }
  return known;
}

function decide(expr: Expr): boolean {
  switch (expr.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
      return true;
    case 'VectorSelector':
      return expr.at !== null;
    case 'MatrixSelector':
      return expr.vector.at !== null;
    case 'SubqueryExpr':
      return expr.at !== null;
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'AggregateExpr':
      return isStepInvariant(expr.expr);
    case 'BinaryExpr':
      // Both sides are looked at, so that each is marked for later lookups.
      return [isStepInvariant(expr.lhs), isStepInvariant(expr.rhs)].every(Boolean);
    case 'Call':
      return expr.args.map(isStepInvariant).every(Boolean) && !TIME_DEPENDENT_FUNCTIONS.has(expr.func.name);
  }
}
