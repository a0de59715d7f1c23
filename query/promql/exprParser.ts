import { quote } from '../../core/index.js';
import type { AggregateExpr, AggregateOp, BinaryExpr, Call, Expr, NumberLiteral, ParenExpr, StringLiteral, UnaryExpr } from './ast.js';
import { parseBinaryModifiers } from './binaryModifiers.js';
import { DepthGuard } from './depthGuard.js';
import { functionSignature } from './functions.js';
import { parseGroupingLabels } from './groupingLabels.js';
import type { Token } from './lexer.js';
import { parseNumberLiteral } from './numbers.js';
import { aggregationTakesParam, binaryOperatorOf, isRightAssociative, precedenceOf, UNARY_OPERAND_PRECEDENCE } from './operators.js';
import { ParseError } from './parseError.js';
import { parsePostfix } from './postfixParser.js';
import { parseVectorSelector } from './selectorParser.js';
import type { TokenStream } from './tokenStream.js';

/**
 * The expression grammar of PromQL 2.42 by precedence climbing:
 *
 *   expr      = unary { binop modifiers unary }            (precedence and associativity: operators.ts)
 *   unary     = ("-" | "+") expr<^> | postfix
 *   postfix   = primary { "[" range [":" [step]] "]" | "offset" ["-"] duration | "@" time }
 *   primary   = number | string | "(" expr ")" | selector
 *             | function "(" args ")" | aggregation
 *   aggregation = op [grouping] "(" [param ","] expr ")" [grouping]
 *
 * Only syntax and the checks Prometheus makes while parsing are done here; types are checked
 * afterwards over the whole tree (typeCheck.ts), as Prometheus does, so that the first error
 * reported is the one Prometheus reports.
 */
export class ExprParser {
  private readonly guard = new DepthGuard();

  constructor(private readonly s: TokenStream) {}

  parseExpression(minPrecedence = 0): Expr {
    this.guard.enter(this.s.peek().pos);
    let lhs = this.parseUnary();
    for (;;) {
      const op = binaryOperatorOf(this.s.peek());
      if (op === undefined || precedenceOf(op) < minPrecedence) break;
      this.s.next();
      const { returnBool, matching } = parseBinaryModifiers(this.s);
      const rhs = this.parseExpression(isRightAssociative(op) ? precedenceOf(op) : precedenceOf(op) + 1);
      const node: BinaryExpr = { type: 'BinaryExpr', op, lhs, rhs, returnBool, matching, pos: { start: lhs.pos.start, end: rhs.pos.end } };
      lhs = this.guard.node(node);
    }
    this.guard.leave();
    return lhs;
  }

  private parseUnary(): Expr {
    if (!this.s.isSymbol('-') && !this.s.isSymbol('+')) return parsePostfix(this.s, this.guard, this.parsePrimary());
    const sign = this.s.next();
    const operand = this.parseExpression(UNARY_OPERAND_PRECEDENCE);
    const pos = { start: sign.pos, end: operand.pos.end };
    // Prometheus folds a sign into a number literal: `-1` is the literal -1, not a negation.
    if (operand.type === 'NumberLiteral') {
      return this.guard.node<NumberLiteral>({ type: 'NumberLiteral', value: sign.text === '-' ? -operand.value : operand.value, pos });
    }
    return this.guard.node<UnaryExpr>({ type: 'UnaryExpr', op: sign.text as '-' | '+', expr: operand, pos });
  }

  private parsePrimary(): Expr {
    const t = this.s.peek();
    switch (t.kind) {
      case 'number': {
        this.s.next();
        const value = parseNumberLiteral(t.text);
        if (value === undefined) throw new ParseError(t.pos, `error parsing number: ${quote(t.text)}`);
        return this.guard.node<NumberLiteral>({ type: 'NumberLiteral', value, pos: { start: t.pos, end: t.end } });
      }
      case 'string':
        this.s.next();
        return this.guard.node<StringLiteral>({ type: 'StringLiteral', value: t.value, pos: { start: t.pos, end: t.end } });
      case 'identifier':
        this.s.next();
        return this.s.isSymbol('(') ? this.parseCall(t) : this.guard.node(parseVectorSelector(this.s, t));
      case 'aggregator':
        // An aggregator is a metric name unless a body or a grouping follows (Prometheus' metric_identifier).
        if (this.s.isSymbol('(', 1) || this.s.isWord('by', 1) || this.s.isWord('without', 1)) return this.parseAggregation();
        this.s.next();
        return this.guard.node(parseVectorSelector(this.s, t));
      case 'metricIdentifier':
        this.s.next();
        return this.guard.node(parseVectorSelector(this.s, t));
      case 'keyword':
        if (!metricNameKeywords.has(t.text.toLowerCase())) throw this.s.unexpected();
        this.s.next();
        return this.guard.node(parseVectorSelector(this.s, t));
      case 'punct':
        if (t.text === '{') return this.guard.node(parseVectorSelector(this.s, null));
        if (t.text === '(') return this.parseParen();
        throw this.s.unexpected();
      default:
        throw this.s.unexpected();
    }
  }

  private parseParen(): ParenExpr {
    const open = this.s.next();
    const expr = this.parseExpression();
    if (!this.s.isSymbol(')')) {
      if (this.s.peek().kind === 'eof') throw new ParseError(open.pos, 'unclosed left parenthesis');
      throw this.s.unexpected('paren expression', '")"');
    }
    const close = this.s.next();
    return this.guard.node<ParenExpr>({ type: 'ParenExpr', expr, pos: { start: open.pos, end: close.end } });
  }

  /** `name(args)`: the name was consumed; the function is looked up after its arguments parse, as in Prometheus. */
  private parseCall(name: Token): Call {
    const { args, end } = this.parseArguments('function call');
    const func = functionSignature(name.text);
    if (func === undefined) throw new ParseError(name.pos, `unknown function with name ${quote(name.text)}`);
    return this.guard.node<Call>({ type: 'Call', func, args, pos: { start: name.pos, end } });
  }

  private parseAggregation(): AggregateExpr {
    const opToken = this.s.next();
    const op = opToken.text.toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let written = false;
    const readGrouping = (): number => {
      without = this.s.next().text.toLowerCase() === 'without';
      written = true;
      const g = parseGroupingLabels(this.s);
      grouping = g.labels;
      return g.end;
    };
    if (this.s.isWord('by') || this.s.isWord('without')) readGrouping();
    if (!this.s.isSymbol('(')) throw this.s.unexpected('aggregation', '"("');
    const body = this.parseArguments('aggregation');
    let end = body.end;
    if (!written && (this.s.isWord('by') || this.s.isWord('without'))) end = readGrouping();
    const pos = { start: opToken.pos, end };
    const args = body.args;
    if (args.length === 0) throw new ParseError(pos.start, 'no arguments for aggregate expression provided');
    const wanted = aggregationTakesParam(op) ? 2 : 1;
    if (args.length !== wanted) {
      throw new ParseError(pos.start, `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`);
    }
    const param = wanted === 2 ? (args[0] as Expr) : null;
    const expr = args[wanted - 1] as Expr;
    return this.guard.node<AggregateExpr>({ type: 'AggregateExpr', op, expr, param, grouping, without, pos });
  }

  /** `( [expr {, expr}] )`: a trailing comma is refused, as in Prometheus. */
  private parseArguments(context: string): { args: Expr[]; end: number } {
    this.s.next(); // "("
    const args: Expr[] = [];
    if (this.s.isSymbol(')')) return { args, end: this.s.next().end };
    for (;;) {
      args.push(this.parseExpression());
      if (this.s.isSymbol(')')) return { args, end: this.s.next().end };
      if (!this.s.isSymbol(',')) throw this.s.unexpected(context, '"," or ")"');
      const comma = this.s.next();
      if (this.s.isSymbol(')')) throw new ParseError(comma.pos, 'trailing commas not allowed in function call args');
    }
  }
}

/** Keywords that may be written as a metric name (Prometheus' metric_identifier); on, ignoring, bool, group_x and atan2 may not. */
const metricNameKeywords: ReadonlySet<string> = new Set(['by', 'without', 'offset', 'start', 'end', 'and', 'or', 'unless']);
