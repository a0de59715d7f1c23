import { parseDurationMs, quote, VigilError } from '../../core/index.js';

/**
 * Request parameters as Prometheus reads them: the URL query and a form-encoded body merged,
 * body values first (Go's Request.Form), every name possibly repeated (match[]).
 */
export class Form {
  private readonly values = new Map<string, string[]>();

  constructor(...sources: readonly URLSearchParams[]) {
    for (const src of sources) {
      for (const [k, v] of src) {
        const list = this.values.get(k);
        if (list === undefined) this.values.set(k, [v]);
        else list.push(v);
      }
    }
  }

  /** The first value of `name`, or '' when absent (Go's FormValue). */
  get(name: string): string {
    return this.values.get(name)?.[0] ?? '';
  }

  all(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }
}

/** The earliest and latest instants the API accepts; also the defaults of open start/end parameters. */
export const MIN_TIME_MS = -8_640_000_000_000_000;
export const MAX_TIME_MS = 8_640_000_000_000_000;

// What Prometheus' own clients send for "no bound" (Go's min/max time, RFC3339).
const prometheusMinTime = '-292273086-05-16T16:47:06Z';
const prometheusMaxTime = '292277025-08-18T07:12:54.999999999Z';

const floatPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const rfc3339Pattern = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** An error in one named parameter, worded as Prometheus words them. */
export function invalidParam(name: string, reason: string): VigilError {
  return new VigilError('bad_data', `invalid parameter ${quote(name)}: ${reason}`);
}

/** Parses Unix seconds (float, millisecond precision) or RFC3339 into milliseconds; undefined when neither. */
export function parseTimeMs(text: string): number | undefined {
  if (floatPattern.test(text)) {
    const seconds = Number(text);
    if (!Number.isFinite(seconds)) return undefined;
    const whole = Math.trunc(seconds);
    const ms = whole * 1000 + Math.round((seconds - whole) * 1000);
    return ms >= MIN_TIME_MS && ms <= MAX_TIME_MS ? ms : undefined;
  }
  if (text === prometheusMinTime) return MIN_TIME_MS;
  if (text === prometheusMaxTime) return MAX_TIME_MS;
  const m = rfc3339Pattern.exec(text);
  if (m === null) return undefined;
  const millis = (m[2] ?? '').slice(0, 3).padEnd(3, '0');
  const ms = Date.parse(`${(m[1] as string).toUpperCase()}.${millis}${(m[3] as string).toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An optional time parameter, or `fallback` when it is absent. Prometheus words its errors with an extra clause. */
export function timeParam(form: Form, name: string, fallback: number): number {
  const text = form.get(name);
  if (text === '') return fallback;
  const ms = parseTimeMs(text);
  if (ms === undefined) throw invalidParam(name, `Invalid time value for '${name}': cannot parse ${quote(text)} to a valid timestamp`);
  return ms;
}

/** A required time parameter (query_range's start and end). */
export function requiredTimeParam(form: Form, name: string): number {
  const text = form.get(name);
  const ms = parseTimeMs(text);
  if (ms === undefined) throw invalidParam(name, `cannot parse ${quote(text)} to a valid timestamp`);
  return ms;
}

/** Parses float seconds or a Prometheus duration (5m, 1h30m) into milliseconds. */
export function parseDurationParamMs(text: string): number | undefined {
  if (floatPattern.test(text)) {
    const seconds = Number(text);
    if (!Number.isFinite(seconds) || Math.abs(seconds) > 9.2e9) return undefined; // Go's int64 nanoseconds
    return Math.trunc(seconds * 1000);
  }
  return parseDurationMs(text);
}

export function durationParam(form: Form, name: string): number {
  const text = form.get(name);
  const ms = parseDurationParamMs(text);
  if (ms === undefined) throw invalidParam(name, `cannot parse ${quote(text)} to a valid duration`);
  return ms;
}

/** An optional non-negative integer parameter such as `limit`; 0 or absent means no limit. */
export function limitParam(form: Form, name: string): number {
  const text = form.get(name);
  if (text === '') return 0;
  if (!/^-?\d+$/.test(text)) throw new VigilError('bad_data', `${name} must be a number`);
  const n = Number(text);
  return n < 0 ? 0 : n;
}

/** The `limit` of series and label lookups: absent means unlimited; otherwise a positive integer. */
export function positiveLimitParam(form: Form, name: string): number {
  const text = form.get(name);
  if (text === '') return Infinity;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw invalidParam(name, `${quote(text)} is not a positive integer`);
  return Number(text);
}
