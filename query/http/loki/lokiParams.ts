import { VigilError } from '../../../core/index.js';
import type { Form } from '../params.js';
import { parseDurationParamMs } from '../params.js';

/** Request parameters as Loki reads them (pkg/util/http: parseTimestamp, parseSecondsOrDuration). */

const NS_PER_MS = 1_000_000n;

/** Most lines one log query may return (Loki's max_entries_limit_per_query default). */
export const MAX_ENTRIES_LIMIT = 5000;
/** Most steps a range query may have (Loki's 11,000, as Prometheus). */
export const MAX_POINTS = 11_000;

function bad(name: string, reason: string): VigilError {
  return new VigilError('bad_data', `invalid parameter ${JSON.stringify(name)}: ${reason}`);
}

/**
 * Loki's timestamps: a number with a `.` is Unix seconds, an integer of up to 10 digits Unix
 * seconds, a longer one Unix nanoseconds, else RFC3339 (nanosecond precision kept).
 */
export function lokiTimeNs(form: Form, name: string, fallback: bigint): bigint {
  const text = form.get(name);
  if (text === '') return fallback;
  if (text.includes('.') && /^[+-]?\d*\.\d*(?:[eE][+-]?\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (Number.isFinite(seconds) && Math.abs(seconds) < 9.2e9) return BigInt(Math.round(seconds * 1000)) * NS_PER_MS;
  }
  if (/^-?\d+$/.test(text)) {
    const n = BigInt(text);
    const ns = text.replace('-', '').length <= 10 ? n * 1_000_000_000n : n;
    if (ns > 9_223_372_036_854_775_807n || ns < -9_223_372_036_854_775_808n) throw bad(name, 'out of range');
    return ns;
  }
  const m = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (m !== null) {
    const ms = Date.parse(`${m[1] as string}${m[3] as string}`);
    if (!Number.isNaN(ms)) return BigInt(ms) * NS_PER_MS + BigInt((m[2] ?? '').padEnd(9, '0'));
  }
  throw bad(name, `cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

/** `limit`: default 100, at most MAX_ENTRIES_LIMIT. */
export function limitParam(form: Form): number {
  const text = form.get('limit');
  if (text === '') return 100;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw bad('limit', 'must be a positive integer');
  if (n > MAX_ENTRIES_LIMIT) throw new VigilError('bad_data', `max entries limit per query exceeded, limit > max_entries_limit_per_query (${n} > ${MAX_ENTRIES_LIMIT})`);
  return n;
}

export function directionParam(form: Form): 'forward' | 'backward' {
  const text = form.get('direction').toLowerCase();
  if (text === '' || text === 'backward') return 'backward';
  if (text === 'forward') return 'forward';
  throw bad('direction', `must be "forward" or "backward", got ${JSON.stringify(form.get('direction'))}`);
}

/** `step` in ms: float seconds or a duration; default Loki's max(1s, (end - start) / 250). */
export function stepParamMs(form: Form, startMs: number, endMs: number): number {
  const text = form.get('step');
  const step = text === '' ? Math.max(1000, Math.floor((endMs - startMs) / 250 / 1000) * 1000) : parseDurationParamMs(text);
  if (step === undefined || !(step > 0)) throw bad('step', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((endMs - startMs) / step > MAX_POINTS) throw new VigilError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  return step;
}

/** Start and end of a range request: `end` defaults to now, `start` to end − `since` (default 1h, or `defaultSinceMs`). */
export function rangeParamsNs(form: Form, nowMs: number, defaultSinceMs = 3600_000): { startNs: bigint; endNs: bigint } {
  const endNs = lokiTimeNs(form, 'end', BigInt(nowMs) * NS_PER_MS);
  const sinceText = form.get('since');
  const since = sinceText === '' ? defaultSinceMs : parseDurationParamMs(sinceText);
  if (since === undefined) throw bad('since', `cannot parse ${JSON.stringify(sinceText)} as a duration`);
  const startNs = lokiTimeNs(form, 'start', endNs - BigInt(since) * NS_PER_MS);
  if (endNs < startNs) throw new VigilError('bad_data', 'end timestamp must not be before or equal to start time');
  return { startNs, endNs };
}

/** Nanoseconds to whole milliseconds (floor), for the metric engine. */
export function nsToMs(ns: bigint): number {
  const ms = ns / NS_PER_MS - (ns < 0n && ns % NS_PER_MS !== 0n ? 1n : 0n);
  return Number(ms);
}
