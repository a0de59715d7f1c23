import type { Token } from './lexer.js';
import { lex } from './lexer.js';
import { LogqlParseError } from './parseError.js';

/** Most nested parentheses (of expressions or label filters) a query may have. */
export const MAX_NESTING_DEPTH = 128;

/** A cursor over the tokens of one query, with the helpers every parser file needs. */
export class TokenStream {
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;

  constructor(input: string) {
    this.tokens = lex(input);
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  /** True (and consumes it) when the next token is `text` (an operator, punctuation or identifier). */
  accept(text: string): boolean {
    const t = this.peek();
    if (t.kind !== 'string' && t.text === text) {
      this.i++;
      return true;
    }
    return false;
  }

  expect(text: string, what = JSON.stringify(text)): Token {
    const t = this.peek();
    if (t.kind === 'string' || t.text !== text) throw this.error(t, `expected ${what}`);
    return this.next();
  }

  identifier(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'identifier') throw this.error(t, `expected ${what}`);
    return this.next();
  }

  string(what: string): string {
    const t = this.peek();
    if (t.kind !== 'string') throw this.error(t, `expected ${what} as a quoted string`);
    return this.next().value;
  }

  error(t: Token, message: string): LogqlParseError {
    return new LogqlParseError(t.pos, `${message}, found ${t.kind === 'eof' ? 'end of input' : JSON.stringify(t.text)}`);
  }

  /** Brackets a nested construct: more than MAX_NESTING_DEPTH levels is an error, not a stack overflow. */
  nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING_DEPTH) throw new LogqlParseError(this.peek().pos, `query nesting too deep: more than ${MAX_NESTING_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }
}
