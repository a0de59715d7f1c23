import { quote } from '../../core/index.js';
import { ParseError } from './parseError.js';

/**
 * The PromQL lexer: the whole token vocabulary of the language, so that the parser can grow
 * construct by construct without touching it. Comments (`# …` to end of line) and whitespace
 * are skipped.
 */
export type TokenKind =
  | 'identifier' // foo, job (no ':')
  | 'metricIdentifier' // foo:bar (contains ':')
  | 'keyword' // by, without, on, ignoring, group_left, group_right, offset, bool, and, or, unless, atan2, start, end
  | 'aggregator' // sum, avg, count, …
  | 'number' // 1, 1.5e3, 0x1f, Inf, NaN
  | 'duration' // 5m, 1h30m, 250ms
  | 'string' // "…", '…', `…` (value holds the unescaped text)
  | 'punct' // ( ) { } [ ] , : @
  | 'operator' // + - * / % ^ == != <= >= < > = =~ !~
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written. */
  readonly text: string;
  /** For strings: the unescaped value. */
  readonly value: string;
  /** 0-based offset of the first character. */
  readonly pos: number;
  /** 0-based offset after the last character. */
  readonly end: number;
}

// Prometheus 2.42's aggregators (limitk and limit_ratio came later and are plain identifiers here).
const aggregators = new Set([
  'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values', 'quantile',
]);
const keywords = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'atan2', 'start', 'end',
]);

// Longest operators first so that "=~" wins over "=".
const operators = ['==', '!=', '<=', '>=', '=~', '!~', '+', '-', '*', '/', '%', '^', '<', '>', '='];
const punctuation = '(){}[],:@';

const durationPattern = /(?:\d+(?:ms|[smhdwy]))+/y;
const numberPattern = /(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y;
const identifierPattern = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
// A number or duration glued to these characters is malformed ("5x", "1.5m"); ":" may follow (subquery steps).
const identifierChar = /[a-zA-Z0-9_]/;

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string): void => {
    const text = input.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, pos: start, end });
    i = end;
  };
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const { value, end } = lexString(input, i);
      push('string', i, end, value);
      continue;
    }
    if (/[0-9.]/.test(ch)) {
      const durationEnd = matchAt(durationPattern, input, i);
      const numberEnd = matchAt(numberPattern, input, i);
      const isDuration = durationEnd !== undefined && (numberEnd === undefined || durationEnd > numberEnd);
      const end = isDuration ? durationEnd : numberEnd;
      if (end === undefined) throw new ParseError(i, `unexpected character: ${quote(ch)}`);
      if (end < input.length && identifierChar.test(input[end] as string)) {
        throw new ParseError(i, `bad number or duration syntax: ${quote(input.slice(i, end + 1))}`);
      }
      push(isDuration ? 'duration' : 'number', i, end);
      continue;
    }
    // In `[5m:1m]` the colon after a duration separates the subquery step; elsewhere it may start a metric name.
    if (ch === ':' && tokens[tokens.length - 1]?.kind === 'duration') {
      push('punct', i, i + 1);
      continue;
    }
    const identEnd = matchAt(identifierPattern, input, i);
    if (identEnd !== undefined) {
      const word = input.slice(i, identEnd);
      const lower = word.toLowerCase();
      if (word.includes(':')) push('metricIdentifier', i, identEnd);
      else if (lower === 'inf' || lower === 'nan') push('number', i, identEnd);
      else if (aggregators.has(lower)) push('aggregator', i, identEnd);
      else if (keywords.has(lower)) push('keyword', i, identEnd);
      else push('identifier', i, identEnd);
      continue;
    }
    const op = operators.find((o) => input.startsWith(o, i));
    if (op !== undefined) {
      push('operator', i, i + op.length);
      continue;
    }
    if (punctuation.includes(ch)) {
      push('punct', i, i + 1);
      continue;
    }
    throw new ParseError(i, `unexpected character: ${quote(ch)}`);
  }
  tokens.push({ kind: 'eof', text: '', value: '', pos: input.length, end: input.length });
  return tokens;
}

function matchAt(re: RegExp, input: string, at: number): number | undefined {
  re.lastIndex = at;
  const m = re.exec(input);
  return m === null ? undefined : at + m[0].length;
}

const simpleEscapes: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Reads a quoted string starting at `start` (the quote). Escapes follow Go, as PromQL's do:
 * \a \b \f \n \r \t \v \\ and the opening quote; \xHH and \OOO are bytes; \uHHHH and
 * \UHHHHHHHH are code points. Backtick strings are raw. The bytes must form valid UTF-8.
 */
function lexString(input: string, start: number): { value: string; end: number } {
  const quote = input[start] as string;
  if (quote === '`') {
    const close = input.indexOf('`', start + 1);
    if (close < 0) throw new ParseError(start, 'unterminated raw string');
    return { value: input.slice(start + 1, close), end: close + 1 };
  }
  const bytes: number[] = [];
  let i = start + 1;
  for (;;) {
    if (i >= input.length || input[i] === '\n') throw new ParseError(start, 'unterminated quoted string');
    const ch = input[i] as string;
    if (ch === quote) break;
    if (ch !== '\\') {
      const cp = input.codePointAt(i) as number;
      const s = String.fromCodePoint(cp);
      for (const b of encoder.encode(s)) bytes.push(b);
      i += s.length;
      continue;
    }
    const esc = input[i + 1];
    if (esc === undefined) throw new ParseError(start, 'unterminated quoted string');
    if (esc === quote) {
      bytes.push(quote.charCodeAt(0));
      i += 2;
    } else if (esc in simpleEscapes) {
      bytes.push(simpleEscapes[esc] as number);
      i += 2;
    } else if (esc === 'x') {
      bytes.push(escapeNumber(input, i, 2, 16, 0xff));
      i += 4;
    } else if (esc >= '0' && esc <= '7') {
      bytes.push(escapeNumber(input, i, 3, 8, 0xff, 1));
      i += 4;
    } else if (esc === 'u' || esc === 'U') {
      const digits = esc === 'u' ? 4 : 8;
      const cp = escapeNumber(input, i, digits, 16, 0x10ffff);
      if (cp >= 0xd800 && cp <= 0xdfff) throw new ParseError(i, 'escape sequence is invalid or out of range');
      for (const b of encoder.encode(String.fromCodePoint(cp))) bytes.push(b);
      i += 2 + digits;
    } else {
      const cp = input.codePointAt(i + 1) as number;
      throw new ParseError(i, `unknown escape sequence ${formatCodePoint(cp)}`);
    }
  }
  try {
    return { value: utf8.decode(new Uint8Array(bytes)), end: i + 1 };
  } catch {
    throw new ParseError(start, 'string is not valid UTF-8');
  }
}

/** Reads `digits` digits of `radix` after the backslash at `at` (+ `skip` for octal, whose first digit follows directly). */
function escapeNumber(input: string, at: number, digits: number, radix: number, max: number, skip = 2): number {
  const first = at + skip;
  const text = input.slice(first, first + digits);
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (text.length !== digits || !valid.test(text)) throw new ParseError(at, 'escape sequence is invalid or out of range');
  const n = parseInt(text, radix);
  if (n > max) throw new ParseError(at, 'escape sequence is invalid or out of range');
  return n;
}

function formatCodePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(String.fromCodePoint(cp))}`;
}
