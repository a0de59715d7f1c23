import { LogqlParseError } from './parseError.js';

/**
 * LogQL's tokens. Numbers, durations and byte sizes share one token kind (`number`: `5`, `1.5`,
 * `5m`, `1h30m`, `10KB`): which one it is depends on where it stands, so the parser decides.
 */
export type TokenKind = 'identifier' | 'string' | 'number' | 'flag' | 'operator' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Strings: the unescaped value; otherwise the text. */
  readonly value: string;
  readonly pos: number;
}

const operators = ['|=', '|~', '|>', '!=', '!~', '!>', '==', '=~', '<=', '>=', '|', '=', '<', '>', '+', '-', '*', '/', '%', '^'];
const punctuation = '(){}[],';
const numberPattern = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:[a-zA-Zµ]+(?:(?:\d+\.?\d*|\.\d+)[a-zA-Zµ]+)*)?/y;
const identifierPattern = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const flagPattern = /--[a-z][a-z-]*/y;

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    return re.exec(input)?.[0];
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
    const start = i;
    if (ch === '"' || ch === '`') {
      const { value, end } = ch === '"' ? readQuoted(input, i) : readRaw(input, i);
      tokens.push({ kind: 'string', text: input.slice(start, end), value, pos: start });
      i = end;
      continue;
    }
    const flag = ch === '-' && input[i + 1] === '-' ? sticky(flagPattern) : undefined;
    if (flag !== undefined) {
      tokens.push({ kind: 'flag', text: flag, value: flag, pos: start });
      i += flag.length;
      continue;
    }
    const num = /[0-9.]/.test(ch) ? sticky(numberPattern) : undefined;
    if (num !== undefined) {
      tokens.push({ kind: 'number', text: num, value: num, pos: start });
      i += num.length;
      continue;
    }
    const id = sticky(identifierPattern);
    if (id !== undefined) {
      tokens.push({ kind: 'identifier', text: id, value: id, pos: start });
      i += id.length;
      continue;
    }
    const op = operators.find((o) => input.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'operator', text: op, value: op, pos: start });
      i += op.length;
      continue;
    }
    if (punctuation.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, value: ch, pos: start });
      i++;
      continue;
    }
    throw new LogqlParseError(i, `unexpected character ${JSON.stringify(ch)}`);
  }
  tokens.push({ kind: 'eof', text: '', value: '', pos: input.length });
  return tokens;
}

function readRaw(input: string, start: number): { value: string; end: number } {
  const close = input.indexOf('`', start + 1);
  if (close < 0) throw new LogqlParseError(start, 'unterminated raw string');
  return { value: input.slice(start + 1, close), end: close + 1 };
}

const simpleEscapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** A Go double-quoted string (strconv.Unquote): \n, \t, \\, \", \xHH, \uHHHH, \UHHHHHHHH, \ooo. */
function readQuoted(input: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === '"') return { value: out, end: i + 1 };
    if (ch === '\n') break;
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const e = input[i + 1] ?? '';
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = input.slice(i + 2, i + 2 + hexLength);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLength ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff)) throw new LogqlParseError(i, `invalid escape sequence \\${e}`);
      out += String.fromCodePoint(code);
      i += 2 + hexLength;
      continue;
    }
    const octal = input.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(octal) && parseInt(octal, 8) <= 255) {
      out += String.fromCharCode(parseInt(octal, 8));
      i += 4;
      continue;
    }
    throw new LogqlParseError(i, `invalid escape sequence \\${e}`);
  }
  throw new LogqlParseError(start, 'unterminated quoted string');
}
