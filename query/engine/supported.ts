import { quote, VigilError } from '../../core/index.js';
import type { Expr, MatrixSelector, VectorSelector } from '../promql/index.js';

/**
 * The engine evaluates selectors only, for now; the parser reads all of PromQL. Everything
 * else is refused by name so that users learn what is missing rather than get a wrong answer.
 */
export function supportedExpr(expr: Expr): VectorSelector | MatrixSelector {
  switch (expr.type) {
    case 'VectorSelector':
      refuseModifiers(expr);
      return expr;
    case 'MatrixSelector':
      refuseModifiers(expr.vector);
      return expr;
    case 'NumberLiteral':
      throw notYet('number literals are');
    case 'StringLiteral':
      throw notYet('string literals are');
    case 'ParenExpr':
      throw notYet('parenthesized expressions are');
    case 'UnaryExpr':
      throw notYet('unary expressions are');
    case 'BinaryExpr':
      throw notYet(`binary operator ${quote(expr.op)} is`);
    case 'AggregateExpr':
      throw notYet(`aggregation ${quote(expr.op)} is`);
    case 'Call':
      throw notYet(`function call ${quote(`${expr.func.name}()`)} is`);
    case 'SubqueryExpr':
      throw notYet('subqueries are');
  }
}

function refuseModifiers(sel: VectorSelector): void {
  if (sel.offsetMs !== 0) throw notYet('the offset modifier is');
  if (sel.at !== null) throw notYet('the @ modifier is');
}

function notYet(what: string): VigilError {
  return new VigilError('bad_data', `${what} not supported yet`);
}
