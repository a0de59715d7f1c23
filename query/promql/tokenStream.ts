import { quote } from '../../core/index.js';
import type { Token } from './lexer.js';
import { ParseError } from './parseError.js';

/** Set operators and atan2 are words but operators in Prometheus' lexer, and are described as such in errors. */
const wordOperators: ReadonlySet<string> = new Set(['and', 'or', 'unless', 'atan2']);

/** A cursor over the tokens of one query, with the helpers every part of the parser shares. */
export class TokenStream {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  /** The token before the current one: its end is where the last consumed construct ends. */
  previous(): Token {
    return this.tokens[Math.max(this.index - 1, 0)] as Token;
  }

  /** True when the current token is the punctuation or operator `text`. */
  isSymbol(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return (t.kind === 'punct' || t.kind === 'operator') && t.text === text;
  }

  /** True when the current token is the keyword or aggregator `word` (case-insensitive, as PromQL keywords are). */
  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return (t.kind === 'keyword' || t.kind === 'aggregator') && t.text.toLowerCase() === word;
  }

  /** Consumes the symbol `text` or fails with Prometheus' "unexpected X in <context>, expected <expected>". */
  expectSymbol(text: string, context: string, expected = quote(text)): Token {
    if (!this.isSymbol(text)) throw this.unexpected(context, expected);
    return this.next();
  }

  /** The error for the current token, worded like Prometheus' parser.unexpected(). */
  unexpected(context = '', expected = ''): ParseError {
    const t = this.peek();
    let msg = `unexpected ${describe(t)}`;
    if (context !== '') msg += ` in ${context}`;
    if (expected !== '') msg += `, expected ${expected}`;
    return new ParseError(t.pos, msg);
  }
}

/** A token as Prometheus' Item.desc() shows it: `identifier "foo"`, `<op:+>`, `<by>`, `<aggr:sum>`, `"("`, `end of input`. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'identifier':
      return `identifier ${quote(t.text)}`;
    case 'metricIdentifier':
      return `metric identifier ${quote(t.text)}`;
    case 'keyword':
      return wordOperators.has(t.text.toLowerCase()) ? `<op:${t.text}>` : `<${t.text}>`;
    case 'aggregator':
      return `<aggr:${t.text}>`;
    case 'operator':
      return `<op:${t.text}>`;
    case 'punct':
      return quote(t.text);
    case 'number':
    case 'duration':
    case 'string':
      return `${t.kind} ${quote(t.text.length > 10 ? `${t.text.slice(0, 10)}...` : t.text)}`;
  }
}
