import type { Labels, TimeSeries } from '../../core/index.js';
import { formatSeries, parseDurationMs } from '../../core/index.js';
import { expandSeriesValues, formatSampleValue, parseSeriesValue, splitSeriesLine } from '../../query/index.js';

/**
 * Test scripts in the notation of Prometheus' promqltest, read by one runner:
 *
 *   lookback_delta 1m                  (optional, before the first eval: the engine's lookback)
 *   load 1m                            (series; the i-th value is at i × 1m)
 *     metric{job="a"} 0+10x3 _ stale 7 (expands to 0 10 20 30, a gap, a staleness marker, 7)
 *   clear                              (forget loaded series)
 *   eval instant at 5m <expr>          (expected series follow, one per line, in result order)
 *     metric{job="a"} 50
 *   eval instant at 5m m[2m]           (a matrix: each value written value@time)
 *     m 40@4m 50@5m
 *   eval range from 0 to 4m step 1m <expr>   (values per step, _ where the series has none)
 *     m 0 10 _ 30 40
 *   eval_fail instant at 0 <expr>      (the query must fail with this exact message)
 *     expected_fail_message <message>
 *   eval_fail instant at 0 <expr>      (without a message, as Prometheus 2.42 writes it: any failure)
 *   eval_ordered instant at 5m <expr>  (the result's order is part of the expectation; plain eval
 *                                        compares instant vectors as sets, as promqltest does)
 *   eval instant at 5m 1 + 1           (a scalar result: a line with the value only)
 *     2
 *   eval instant at 5m vector(1)       (a series without labels is written {})
 *     {} 1
 *   eval instant at 1m "a"             (a string result: the string, quoted)
 *     "a"
 *   eval range from 0 to 2m step 1m time()   (a range query of a scalar: one series without labels)
 *     {} 0 60 120
 *   max_samples 10                     (optional: the engine's sample limit from here on)
 *
 * Value tokens: numbers, NaN, Inf, -Inf, stale, _ (no sample), a+bxn / a-bxn (n+1 values
 * stepping by b), _xn (n gaps).
 */
export type Command =
  | { readonly kind: 'load'; readonly line: number; readonly series: TimeSeries[] }
  | { readonly kind: 'clear'; readonly line: number }
  | { readonly kind: 'lookback'; readonly line: number; readonly ms: number }
  | { readonly kind: 'maxSamples'; readonly line: number; readonly limit: number }
  | { readonly kind: 'evalInstant'; readonly line: number; readonly atMs: number; readonly expr: string; readonly ordered: boolean; readonly expect: Expectation }
  | { readonly kind: 'evalRange'; readonly line: number; readonly startMs: number; readonly endMs: number; readonly stepMs: number; readonly expr: string; readonly expect: Expectation };

/** `fail` is the exact message, or undefined when any failure will do. */
export type Expectation = { readonly fail: string | undefined } | { readonly series: readonly ExpectedSeries[] };

/** The `series` of a scalar result, which has no labels to print. */
export const SCALAR = '(scalar)';
/** The `series` of a string result; its one point's value is the string. */
export const STRING_RESULT = '(string)';

/** A series as the runner compares it: its text form and its points as [ms, formatted value]. */
export interface ExpectedSeries {
  readonly series: string;
  readonly points: readonly (readonly [number, string])[];
}

export function parseScript(text: string): Command[] {
  const lines = text.split('\n');
  const commands: Command[] = [];
  let i = 0;
  const body = (): { line: number; text: string }[] => {
    const out: { line: number; text: string }[] = [];
    while (i < lines.length && /^\s+\S/.test(lines[i] as string)) {
      const t = (lines[i] as string).trim();
      if (!t.startsWith('#')) out.push({ line: i + 1, text: t });
      i++;
    }
    return out;
  };
  while (i < lines.length) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    i++;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    const fail = (why: string): never => {
      throw new Error(`line ${lineNo}: ${why}: ${t}`);
    };
    let m: RegExpExecArray | null;
    if ((m = /^load\s+(\S+)$/.exec(t)) !== null) {
      const interval = parseDurationMs(m[1] as string) ?? fail('bad interval');
      const series = body().map(({ line, text }) => {
        const { labels, rest } = splitSeries(text, line);
        const samples = expandValues(rest, line)
          .map((v, k) => (v === undefined ? undefined : { t: k * interval, v }))
          .filter((s): s is { t: number; v: number } => s !== undefined);
        return { labels, samples };
      });
      commands.push({ kind: 'load', line: lineNo, series });
    } else if (t === 'clear') {
      commands.push({ kind: 'clear', line: lineNo });
    } else if ((m = /^lookback_delta\s+(\S+)$/.exec(t)) !== null) {
      commands.push({ kind: 'lookback', line: lineNo, ms: parseDurationMs(m[1] as string) ?? fail('bad duration') });
    } else if ((m = /^max_samples\s+(\d+)$/.exec(t)) !== null) {
      commands.push({ kind: 'maxSamples', line: lineNo, limit: Number(m[1]) });
    } else if ((m = /^(eval|eval_fail|eval_ordered)\s+instant\s+at\s+(\S+)\s+(.+)$/.exec(t)) !== null) {
      const atMs = timeOf(m[2] as string) ?? fail('bad time');
      const expect = expectation(m[1] === 'eval_fail', body(), atMs, 0, 0);
      commands.push({ kind: 'evalInstant', line: lineNo, atMs, expr: m[3] as string, ordered: m[1] === 'eval_ordered', expect });
    } else if ((m = /^(eval|eval_fail)\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/.exec(t)) !== null) {
      const startMs = timeOf(m[2] as string) ?? fail('bad start');
      const endMs = timeOf(m[3] as string) ?? fail('bad end');
      const stepMs = parseDurationMs(m[4] as string) ?? fail('bad step');
      const expect = expectation(m[1] === 'eval_fail', body(), startMs, stepMs, endMs);
      commands.push({ kind: 'evalRange', line: lineNo, startMs, endMs, stepMs, expr: m[5] as string, expect });
    } else {
      fail('unknown command');
    }
  }
  return commands;
}

function expectation(failing: boolean, lines: { line: number; text: string }[], startMs: number, stepMs: number, endMs: number): Expectation {
  if (failing) {
    const msg = lines.find((l) => l.text.startsWith('expected_fail_message '));
    return { fail: msg?.text.slice('expected_fail_message '.length) };
  }
  return {
    series: lines.map(({ line, text }) => {
      if (stepMs === 0 && text.startsWith('"')) return { series: STRING_RESULT, points: [[startMs, JSON.parse(text) as string] as const] };
      if (/^[-+]?(\d|\.\d|NaN$|Inf$)/.test(text)) {
        if (stepMs !== 0) throw new Error(`line ${line}: a range result is a matrix; write a scalar's series as {}`);
        return { series: SCALAR, points: [[startMs, formatSampleValue(parseValue(text, line) ?? NaN)] as const] };
      }
      const { labels, rest } = splitSeries(text, line);
      const series = formatSeries(labels);
      if (rest.some((tok) => tok.includes('@'))) {
        // value@time pairs: an instant query's matrix.
        const points = rest.map((tok) => {
          const [v, at] = tok.split('@') as [string, string];
          const ms = timeOf(at);
          if (ms === undefined) throw new Error(`line ${line}: bad time in ${tok}`);
          return [ms, formatSampleValue(parseValue(v, line) ?? NaN)] as const;
        });
        return { series, points };
      }
      const values = expandValues(rest, line);
      if (stepMs === 0) {
        // An instant vector: one value at the evaluation time.
        if (values.length !== 1 || values[0] === undefined) throw new Error(`line ${line}: an instant vector expects one value`);
        return { series, points: [[startMs, formatSampleValue(values[0])] as const] };
      }
      const steps = Math.floor((endMs - startMs) / stepMs) + 1;
      if (values.length !== steps) throw new Error(`line ${line}: ${values.length} values for ${steps} steps`);
      const points = values
        .map((v, k) => (v === undefined ? undefined : ([startMs + k * stepMs, formatSampleValue(v)] as const)))
        .filter((p): p is readonly [number, string] => p !== undefined);
      return { series, points };
    }),
  };
}

/** A time in a script: a duration since the epoch, or 0. */
function timeOf(text: string): number | undefined {
  return parseDurationMs(text);
}

/** Splits `name{labels} values…` (query/promql's series notation), naming the script line on errors. */
function splitSeries(text: string, line: number): { labels: Labels; rest: string[] } {
  return atLine(line, () => splitSeriesLine(text));
}

function parseValue(tok: string, line: number): number | undefined {
  return atLine(line, () => parseSeriesValue(tok));
}

function expandValues(tokens: readonly string[], line: number): (number | undefined)[] {
  return atLine(line, () => expandSeriesValues(tokens));
}

function atLine<T>(line: number, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new Error(`line ${line}: ${(err as Error).message}`);
  }
}
