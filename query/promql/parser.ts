import type { LabelMatcher } from '../../storage/index.js';
import type { Expr } from './ast.js';
import { ExprParser } from './exprParser.js';
import { lex } from './lexer.js';
import { ParseError } from './parseError.js';
import { TokenStream } from './tokenStream.js';
import { typeCheck } from './typeCheck.js';

/**
 * Parses a PromQL expression (the whole language of Prometheus 2.42) into its syntax tree,
 * checked for types as Prometheus checks them. Throws ParseError, and nothing else, for any
 * input: with the position of the offending token and Prometheus' wording of the problem.
 */
export function parseExpr(input: string): Expr {
  const s = new TokenStream(lex(input));
  if (s.peek().kind === 'eof') throw new ParseError(0, 'no expression found in input');
  const expr = new ExprParser(s).parseExpression();
  if (s.peek().kind !== 'eof') {
    if (s.isSymbol(')')) throw new ParseError(s.peek().pos, 'unexpected right parenthesis \')\'');
    throw s.unexpected();
  }
  return typeCheck(expr, input);
}

/** Parses a series selector as used by match[] (a vector selector, nothing else) into its matchers. */
export function parseSeriesSelector(input: string): LabelMatcher[] {
  const expr = parseExpr(input);
  if (expr.type !== 'VectorSelector') throw new ParseError(expr.pos.start, 'a series selector must be a vector selector, not a range selector');
  return [...expr.matchers];
}
