import type { Labels } from '../../core/index.js';
import { quote, VigilError } from '../../core/index.js';

/**
 * Parses a stream's labels as the protobuf push sends them, in PromQL selector syntax:
 * `{job="varlogs", filename="/var/log/syslog"}`. Values may be "double-quoted" (Go escapes),
 * 'single-quoted' or `raw`. `where` names the stream in errors ("streams[3]").
 * Throws VigilError('bad_data') naming the stream and what is wrong.
 */
export function parseLokiLabels(text: string, where: string): Labels {
  const fail = (what: string): never => {
    throw new VigilError('bad_data', `${where}: error parsing labels ${quote(text, 128)}: ${what}`);
  };
  const labels: Record<string, string> = {};
  let i = skipSpace(text, 0);
  if (text[i] !== '{') fail('expected "{"');
  i = skipSpace(text, i + 1);
  if (text[i] === '}') fail('at least one label pair is required per stream');
  for (;;) {
    const nameStart = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
    if (i === nameStart) fail(`expected a label name at offset ${i}`);
    const name = text.slice(nameStart, i);
    i = skipSpace(text, i);
    if (text[i] !== '=') fail(`expected "=" after ${name}`);
    i = skipSpace(text, i + 1);
    const { value, end } = readString(text, i, fail);
    if (Object.hasOwn(labels, name)) fail(`duplicate label name ${name}`);
    labels[name] = value;
    i = skipSpace(text, end);
    if (text[i] === ',') {
      i = skipSpace(text, i + 1);
      if (text[i] === '}') break; // a trailing comma, as PromQL allows
      continue;
    }
    if (text[i] === '}') break;
    fail(`expected "," or "}" at offset ${i}`);
  }
  if (skipSpace(text, i + 1) !== text.length) fail('text after the closing "}"');
  return labels;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

function readString(text: string, i: number, fail: (what: string) => never): { value: string; end: number } {
  const q = text[i];
  if (q !== '"' && q !== "'" && q !== '`') fail(`expected a quoted label value at offset ${i}`);
  let value = '';
  let j = i + 1;
  for (;;) {
    if (j >= text.length) fail('unterminated label value');
    const c = text[j] as string;
    if (c === q) return { value, end: j + 1 };
    if (c === '\\' && q !== '`') {
      const e = text[j + 1] ?? '';
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        j += 2;
        continue;
      }
      if (e === 'x' || e === 'u' || e === 'U') {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(j + 2, j + 2 + digits);
        const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
        if (!(code <= 0x10ffff)) fail(`invalid escape \\${e}${hex}`);
        value += String.fromCodePoint(code);
        j += 2 + digits;
        continue;
      }
      fail(`invalid escape \\${e}`);
    }
    value += c;
    j++;
  }
}
