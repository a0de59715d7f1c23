import type { Labels } from '../../core/index.js';
import { parseJsonSafely, quote, VigilError } from '../../core/index.js';
import type { LokiEntry, LokiStream } from './lokiPushRequest.js';
import { NO_METADATA } from './lokiPushRequest.js';

/**
 * Loki's JSON push body, as Fluent Bit, Vector and curl users send it:
 *   {"streams": [{"stream": {"job": "x"}, "values": [["<ns since epoch>", "<line>", {"<name>": "<value>"}]]}]}
 * The third element (structured metadata) is optional. Checked by hand rather than with zod:
 * bodies hold hundreds of thousands of values and this is the hot path; errors name the path.
 */
export function decodeLokiJson(body: Buffer, maxDepth: number): LokiStream[] {
  const root = parseJsonSafely(body.toString('utf8'), { maxDepth, what: 'body' });
  if (!isObject(root) || !Array.isArray(root.streams)) fail('(root)', 'an object with a "streams" array', root);
  const streams: LokiStream[] = [];
  const list = root.streams as unknown[];
  for (let i = 0; i < list.length; i++) {
    const where = `streams[${i}]`;
    const s = list[i];
    if (!isObject(s)) fail(where, 'an object with "stream" and "values"', s);
    streams.push({ labels: readLabels(s.stream, `${where}.stream`), entries: readValues(s.values, `${where}.values`) });
  }
  return streams;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(where: string, expected: string, got: unknown): never {
  throw new VigilError('bad_data', `${where}: expected ${expected}, got ${describe(got)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return quote(v, 40);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function readLabels(v: unknown, where: string): Labels {
  if (!isObject(v)) fail(where, 'an object of label names to string values', v);
  let n = 0;
  for (const k in v) {
    if (typeof v[k] !== 'string') fail(`${where}.${k}`, 'a string', v[k]);
    n++;
  }
  if (n === 0) throw new VigilError('bad_data', `${where}: at least one label pair is required per stream`);
  return v as Labels;
}

const NS_DIGITS = /^\d{1,19}$/;

function readValues(v: unknown, where: string): LokiEntry[] {
  if (!Array.isArray(v)) fail(where, 'an array of [timestamp, line] values', v);
  const entries: LokiEntry[] = new Array<LokiEntry>(v.length);
  for (let i = 0; i < v.length; i++) {
    const value: unknown = v[i];
    if (!Array.isArray(value) || value.length < 2 || value.length > 3) fail(`${where}[${i}]`, 'a ["<unix ns>", "<line>"] pair or a triple with structured metadata', value);
    const [ts, line, metadata] = value as [unknown, unknown, unknown];
    if (typeof ts !== 'string' || !NS_DIGITS.test(ts)) fail(`${where}[${i}][0]`, 'a string of nanoseconds since the epoch', ts);
    if (typeof line !== 'string') fail(`${where}[${i}][1]`, 'the log line as a string', line);
    entries[i] = { timeNs: BigInt(ts), line, metadata: metadata === undefined ? NO_METADATA : readMetadata(metadata, `${where}[${i}][2]`) };
  }
  return entries;
}

function readMetadata(v: unknown, where: string): Readonly<Record<string, string>> {
  if (!isObject(v)) fail(where, 'an object of structured metadata (name to string)', v);
  for (const k in v) if (typeof v[k] !== 'string') fail(`${where}.${k}`, 'a string', v[k]);
  return v as Record<string, string>;
}
