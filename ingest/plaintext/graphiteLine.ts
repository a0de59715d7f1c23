import type { TimeSeries } from '../../core/index.js';
import { quote, VigilError } from '../../core/index.js';
import { plaintextLabelName, plaintextMetricName } from './plaintextNames.js';

/**
 * One line of Graphite's plaintext protocol: `<path> <value> [<timestamp>]`, the path optionally
 * tagged as Graphite 1.1 writes it: `disk.used;datacenter=dc1;rack=a1 42 1700000000`.
 * The timestamp is Unix seconds (fractions kept to the millisecond); absent or -1 means now.
 * Tags become labels; the path becomes __name__ (plaintextMetricName).
 * Throws VigilError('bad_data') naming what is wrong.
 */
export function parseGraphiteLine(line: string, nowMs: number): TimeSeries {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 2 || fields.length > 3) fail(line, `expected "<path> <value> [<timestamp>]", got ${fields.length} field(s)`);
  const [pathAndTags, valueText, tsText] = fields as [string, string, string | undefined];
  const parts = pathAndTags.split(';');
  const path = parts[0] as string;
  if (path === '') fail(line, 'empty metric path');
  const labels: Record<string, string> = { __name__: plaintextMetricName(path) };
  for (let i = 1; i < parts.length; i++) {
    const tag = parts[i] as string;
    const eq = tag.indexOf('=');
    if (eq <= 0 || eq === tag.length - 1) fail(line, `tag ${quote(tag, 64)} is not name=value`);
    const name = plaintextLabelName(tag.slice(0, eq));
    if (name === '__name__' || Object.hasOwn(labels, name)) fail(line, `duplicate tag ${quote(tag.slice(0, eq), 64)}`);
    labels[name] = tag.slice(eq + 1);
  }
  return { labels, samples: [{ t: parseSeconds(line, tsText, nowMs), v: parseValue(line, valueText) }] };
}

function fail(line: string, what: string): never {
  throw new VigilError('bad_data', `graphite line ${quote(line, 80)}: ${what}`);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A float as Graphite writes one; also NaN/Inf spellings Go and Python print. */
export function parseValue(line: string, text: string, where = 'graphite'): number {
  if (NUMBER.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  throw new VigilError('bad_data', `${where} line ${quote(line, 80)}: value ${quote(text, 40)} is not a number`);
}

function parseSeconds(line: string, text: string | undefined, nowMs: number): number {
  if (text === undefined || text === '-1' || text === 'N') return nowMs;
  if (!NUMBER.test(text) || text.startsWith('-')) fail(line, `timestamp ${quote(text, 40)} is not Unix seconds`);
  return Math.round(Number(text) * 1000);
}
