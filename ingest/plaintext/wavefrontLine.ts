import type { TimeSeries } from '../../core/index.js';
import { quote, VigilError } from '../../core/index.js';
import { parseValue } from './graphiteLine.js';
import { plaintextLabelName, plaintextMetricName } from './plaintextNames.js';

/**
 * One line of the Wavefront data format:
 *   `<metricName> <metricValue> [<timestamp>] source=<source> [<pointTagKey>=<pointTagValue> ...]`
 * Names and values may be "double-quoted" (with \" escapes); `host=` is accepted for `source=`
 * as Wavefront does. The timestamp is Unix seconds, or milliseconds when it has 13 digits or
 * more; absent means now. The source becomes the `source` label, point tags labels.
 * Throws VigilError('bad_data') naming what is wrong.
 */
export function parseWavefrontLine(line: string, nowMs: number): TimeSeries {
  const tokens = tokenize(line);
  if (tokens.length < 3) fail(line, 'expected "<metric> <value> [<timestamp>] source=<source> [tags]"');
  const [name, valueText] = tokens as [Token, Token];
  if (name.key !== undefined || name.text === '') fail(line, 'missing metric name');
  if (valueText.key !== undefined) fail(line, 'missing value');
  let i = 2;
  let t = nowMs;
  const third = tokens[2] as Token;
  if (third.key === undefined) {
    t = parseTimestamp(line, third.text);
    i = 3;
  }
  const labels: Record<string, string> = { __name__: plaintextMetricName(name.text) };
  let source: string | undefined;
  for (; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (tok.key === undefined) fail(line, `expected key=value, got ${quote(tok.text, 40)}`);
    if ((tok.key === 'source' || tok.key === 'host') && source === undefined) {
      source = tok.text;
      continue;
    }
    const labelName = plaintextLabelName(tok.key);
    if (labelName === '' || labelName === 'source' || Object.hasOwn(labels, labelName)) fail(line, `duplicate or invalid tag ${quote(tok.key, 40)}`);
    labels[labelName] = tok.text;
  }
  if (source === undefined || source === '') fail(line, 'source= (or host=) is required');
  labels.source = source;
  return { labels, samples: [{ t, v: parseValue(line, valueText.text, 'wavefront') }] };
}

interface Token {
  readonly key: string | undefined;
  readonly text: string;
}

function fail(line: string, what: string): never {
  throw new VigilError('bad_data', `wavefront line ${quote(line, 80)}: ${what}`);
}

/** Splits on blanks; `"..."` quotes (with \" and \\) a name or a value; `k=v` gives a keyed token. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    let key: string | undefined;
    let text = readPart(line, i);
    i = text.end;
    if (line[i] === '=') {
      key = text.value;
      text = readPart(line, i + 1);
      i = text.end;
    }
    if (i < n && line[i] !== ' ' && line[i] !== '\t') fail(line, `unexpected ${quote(line[i] as string)} at offset ${i}`);
    tokens.push({ key, text: text.value });
    if (tokens.length > 1000) fail(line, 'more than 1000 fields');
  }
  return tokens;
}

function readPart(line: string, i: number): { value: string; end: number } {
  if (line[i] === '"') {
    let value = '';
    let j = i + 1;
    for (;;) {
      if (j >= line.length) fail(line, 'unterminated quote');
      const c = line[j] as string;
      if (c === '"') return { value, end: j + 1 };
      if (c === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) {
        value += line[j + 1];
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
  }
  let j = i;
  while (j < line.length && line[j] !== ' ' && line[j] !== '\t' && line[j] !== '=' && line[j] !== '"') j++;
  return { value: line.slice(i, j), end: j };
}

function parseTimestamp(line: string, text: string): number {
  if (!/^\d{1,19}(\.\d+)?$/.test(text)) fail(line, `timestamp ${quote(text, 40)} is not Unix seconds`);
  const n = Number(text);
  // 13+ digits: already milliseconds (Wavefront's proxy accepts both).
  return text.indexOf('.') < 0 && text.length >= 13 ? n : Math.round(n * 1000);
}
