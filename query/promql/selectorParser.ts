import { quote } from '../../core/index.js';
import type { LabelMatcher, MatchType } from '../../storage/index.js';
import { regexSyntaxError } from '../../storage/index.js';
import type { VectorSelector } from './ast.js';
import type { Token } from './lexer.js';
import { ParseError } from './parseError.js';
import type { TokenStream } from './tokenStream.js';

/**
 * Vector selectors: `name`, `name{matchers}`, `{matchers}`. Only the syntax is checked here;
 * the rules on the whole selector (a non-empty matcher, the name given once) are type checks,
 * run after parsing as Prometheus runs them (typeCheck.ts), so a syntax error later in the
 * query wins over them, as in Prometheus.
 */

const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const matchOperators: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);

/** Inside braces any word is a label name, keywords included (`{by="x"}`), as Prometheus lexes it. */
export function isLabelNameToken(t: Token): boolean {
  return (t.kind === 'identifier' || t.kind === 'keyword' || t.kind === 'aggregator' || t.kind === 'number') && labelNamePattern.test(t.text);
}

/** Parses a selector starting at the metric name (`nameToken`, already consumed) or at "{" (nameToken null). */
export function parseVectorSelector(s: TokenStream, nameToken: Token | null): VectorSelector {
  const start = nameToken?.pos ?? s.peek().pos;
  const name = nameToken?.text ?? '';
  const matchers: LabelMatcher[] = name === '' ? [] : [{ type: '=', name: '__name__', value: name }];
  let end = nameToken?.end ?? start;
  if (s.isSymbol('{')) end = parseMatchers(s, matchers);
  return { type: 'VectorSelector', name, matchers, offsetMs: 0, at: null, pos: { start, end } };
}

/** Reads `{ matcher, … [,] }` into `into`; returns the offset after the "}". */
function parseMatchers(s: TokenStream, into: LabelMatcher[]): number {
  s.next(); // "{"
  for (;;) {
    if (s.isSymbol('}')) return s.next().end;
    if (!isLabelNameToken(s.peek())) throw s.unexpected('label matching', 'identifier or "}"');
    const label = s.next();
    const op = s.peek();
    if (op.kind !== 'operator' || !matchOperators.has(op.text)) throw s.unexpected('label matching', 'label matching operator');
    s.next();
    const value = s.peek();
    if (value.kind !== 'string') throw s.unexpected('label matching', 'string');
    s.next();
    const matcher: LabelMatcher = { type: op.text as MatchType, name: label.text, value: value.value };
    if (matcher.type === '=~' || matcher.type === '!~') checkRegex(matcher.value, value.pos);
    into.push(matcher);
    if (s.isSymbol('}')) return s.next().end;
    if (!s.isSymbol(',')) throw s.unexpected('label matching', '"," or "}"');
    s.next();
  }
}

/** Prometheus' regexes are Go's RE2: validated with the store's own RE2 check, never JS RegExp. */
function checkRegex(source: string, pos: number): void {
  const error = regexSyntaxError(source);
  if (error !== undefined) throw new ParseError(pos, `invalid regular expression ${quote(source)}: ${error}`);
}
