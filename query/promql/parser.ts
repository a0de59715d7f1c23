import { quote } from '../../core/index.js';
import type { LabelMatcher, MatchType } from '../../storage/index.js';
import { compileMatcher, regexSyntaxError } from '../../storage/index.js';
import type { Expr, MatrixSelector, VectorSelector } from './ast.js';
import { parseDurationMs } from './duration.js';
import { lex } from './lexer.js';
import type { Token } from './lexer.js';
import { ParseError } from './parseError.js';

/**
 * Parses a PromQL expression into its syntax tree. Today's grammar is the selector:
 *
 *   expr            = vector_selector [ "[" duration "]" ]
 *   vector_selector = metric_name [ "{" matchers "}" ] | "{" matchers "}"
 *   matchers        = [ matcher { "," matcher } [ "," ] ]
 *   matcher         = label_name ( "=" | "!=" | "=~" | "!~" ) string
 *
 * Every other construct of PromQL is recognised and rejected by name ("… is not supported
 * yet") so that users learn what is missing rather than read a confusing syntax error.
 * Throws ParseError with the position of the offending token.
 */
export function parseExpr(input: string): Expr {
  const p = new Parser(lex(input));
  if (p.peek().kind === 'eof') throw new ParseError(0, 'no expression found in input');
  const expr = p.parseExpression();
  p.expectEnd();
  return expr;
}

/** Parses a series selector as used by match[] (a vector selector, nothing else) into its matchers. */
export function parseSeriesSelector(input: string): LabelMatcher[] {
  const expr = parseExpr(input);
  if (expr.type !== 'VectorSelector') throw new ParseError(expr.pos.start, 'a series selector must be a vector selector, not a range selector');
  return [...expr.matchers];
}

const matchOperators: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);
const binaryOperators: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%', '^', '==', '!=', '<=', '>=', '<', '>']);
const setOperators: ReadonlySet<string> = new Set(['and', 'or', 'unless', 'atan2']);

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  parseExpression(): Expr {
    const selector = this.parsePrimary();
    const open = this.peek();
    if (open.kind !== 'punct' || open.text !== '[') return selector;
    return this.parseRange(selector);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind === 'eof') return;
    if (t.kind === 'operator' && binaryOperators.has(t.text)) throw unsupported(t, `binary operator ${quote(t.text)} is`);
    if (t.kind === 'keyword' && setOperators.has(t.text.toLowerCase())) throw unsupported(t, `binary operator ${quote(t.text)} is`);
    if (t.kind === 'keyword' && t.text.toLowerCase() === 'offset') throw unsupported(t, 'the offset modifier is');
    if (t.kind === 'punct' && t.text === '@') throw unsupported(t, 'the @ modifier is');
    if (t.kind === 'punct' && t.text === '[') throw new ParseError(t.pos, 'ranges only allowed for vector selectors');
    throw new ParseError(t.pos, `unexpected ${describe(t)}`);
  }

  private parsePrimary(): VectorSelector {
    const t = this.peek();
    const after = this.peek(1);
    const isCall = after.kind === 'punct' && after.text === '(';
    switch (t.kind) {
      case 'aggregator':
        if (isCall || (after.kind === 'keyword' && /^(by|without)$/i.test(after.text))) throw unsupported(t, `aggregation ${quote(t.text)} is`);
        return this.parseVectorSelector();
      case 'identifier':
        if (isCall) throw unsupported(t, `function call ${quote(t.text + '()')} is`);
        return this.parseVectorSelector();
      case 'metricIdentifier':
      case 'keyword':
        return this.parseVectorSelector();
      case 'number':
        throw unsupported(t, 'number literals are');
      case 'string':
        throw unsupported(t, 'string literals are');
      case 'duration':
        throw new ParseError(t.pos, `unexpected ${describe(t)}`);
      case 'operator':
        if (t.text === '-' || t.text === '+') throw unsupported(t, 'unary expressions are');
        throw new ParseError(t.pos, `unexpected ${describe(t)}`);
      case 'punct':
        if (t.text === '{') return this.parseVectorSelector();
        if (t.text === '(') throw unsupported(t, 'parenthesized expressions are');
        throw new ParseError(t.pos, `unexpected ${describe(t)}`);
      case 'eof':
        throw new ParseError(t.pos, 'unexpected end of input');
    }
  }

  private parseVectorSelector(): VectorSelector {
    const first = this.peek();
    let name = '';
    const matchers: LabelMatcher[] = [];
    let end = first.end;
    if (first.kind !== 'punct') {
      name = this.next().text;
      matchers.push({ type: '=', name: '__name__', value: name });
    }
    const open = this.peek();
    if (open.kind === 'punct' && open.text === '{') {
      this.next();
      end = this.parseMatchers(matchers, name);
    }
    if (!matchers.some((m) => !compileMatcher(m)(''))) {
      throw new ParseError(first.pos, 'vector selector must contain at least one non-empty matcher');
    }
    return { type: 'VectorSelector', name, matchers, pos: { start: first.pos, end } };
  }

  /** Reads matchers up to and including "}"; returns the offset after the "}". */
  private parseMatchers(into: LabelMatcher[], metricName: string): number {
    for (;;) {
      const t = this.next();
      if (t.kind === 'punct' && t.text === '}') return t.end;
      if (t.kind === 'string') throw unsupported(t, 'quoted metric and label names are');
      if (t.kind !== 'identifier' && t.kind !== 'keyword' && t.kind !== 'aggregator') {
        throw new ParseError(t.pos, `unexpected ${describe(t)} in label matching, expected label name`);
      }
      const op = this.next();
      if (op.kind !== 'operator' || !matchOperators.has(op.text)) {
        throw new ParseError(op.pos, `unexpected ${describe(op)} in label matching, expected one of "=", "!=", "=~" or "!~"`);
      }
      const value = this.next();
      if (value.kind !== 'string') throw new ParseError(value.pos, `unexpected ${describe(value)} in label matching, expected string`);
      const matcher: LabelMatcher = { type: op.text as MatchType, name: t.text, value: value.value };
      if (matcher.type === '=~' || matcher.type === '!~') checkRegex(matcher.value, value.pos);
      if (matcher.name === '__name__' && metricName !== '') {
        throw new ParseError(t.pos, `metric name must not be set twice: ${quote(metricName)} or ${quote(matcher.value)}`);
      }
      into.push(matcher);
      const sep = this.next();
      if (sep.kind === 'punct' && sep.text === '}') return sep.end;
      if (sep.kind !== 'punct' || sep.text !== ',') {
        throw new ParseError(sep.pos, `unexpected ${describe(sep)} in label matching, expected "," or "}"`);
      }
    }
  }

  private parseRange(vector: VectorSelector): MatrixSelector {
    this.next(); // "["
    const d = this.next();
    if (d.kind !== 'duration') throw new ParseError(d.pos, `unexpected ${describe(d)} in range selector, expected duration`);
    const rangeMs = parseDurationMs(d.text);
    if (rangeMs === undefined) throw new ParseError(d.pos, `bad duration ${quote(d.text)}`);
    if (rangeMs <= 0) throw new ParseError(d.pos, 'duration must be greater than 0');
    const close = this.next();
    if (close.kind === 'punct' && close.text === ':') throw unsupported(close, 'subqueries are');
    if (close.kind !== 'punct' || close.text !== ']') throw new ParseError(close.pos, `unexpected ${describe(close)} in range selector, expected "]"`);
    return { type: 'MatrixSelector', vector, rangeMs, pos: { start: vector.pos.start, end: close.end } };
  }
}

/** `what` names the construct with its verb, e.g. 'subqueries are'. */
function unsupported(t: Token, what: string): ParseError {
  return new ParseError(t.pos, `${what} not supported yet`);
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'identifier':
    case 'metricIdentifier':
      return `identifier ${quote(t.text)}`;
    case 'keyword':
    case 'aggregator':
      return `keyword ${quote(t.text)}`;
    default:
      return `${t.kind} ${quote(t.text)}`;
  }
}

/** Prometheus' regexes are Go's RE2: validated with the store's own RE2 check, never JS RegExp. */
function checkRegex(source: string, pos: number): void {
  const error = regexSyntaxError(source);
  if (error !== undefined) throw new ParseError(pos, `invalid regular expression ${quote(source)}: ${error}`);
}
