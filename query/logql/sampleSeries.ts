import type { Labels } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import type { Querier } from '../../storage/index.js';
import type { Grouping, RangeAggregation, Unwrap } from './ast.js';
import { labelsKey } from './logQuery.js';
import { compilePipeline } from './pipeline.js';
import { planLog } from './plan.js';
import { compileLabelFilter } from './stages/labelFilter.js';
import { ERROR_DETAILS_LABEL, ERROR_LABEL } from './stages/labelNames.js';
import { parseBytes, parseGoDurationSeconds } from './units.js';

/** The samples one range aggregation reads: a series per output label set, times in ms. */
export interface SampleSeries {
  readonly labels: Labels;
  timestamps: number[];
  values: number[];
}

const NS_PER_MS = 1_000_000n;

/**
 * Scans the lines of one range aggregation over [startNs, endNs] and turns each surviving line
 * into a sample: 1 (counting functions), its length in bytes (bytes_*), or the unwrapped label's
 * value. Times are rounded up to the millisecond (see promqlText.ts). As in Loki, a series whose
 * labels carry `__error__` fails the query: the user must filter errors out explicitly.
 */
export async function sampleSeries(querier: Querier, r: RangeAggregation, startNs: bigint, endNs: bigint, maxSamples: number): Promise<SampleSeries[]> {
  const plan = planLog(r.log);
  const pipeline = compilePipeline(plan.stages);
  const value = sampleValue(r);
  const unwrapFilters = (r.unwrap?.postFilters ?? []).map(compileLabelFilter);
  const project = projection(r.grouping);
  const series = new Map<string, SampleSeries>();
  let count = 0;
  // Without in-process stages or unwrap every line of a stream lands in the same series: key by stream id, not by labels.
  const byStream = plan.stages.length === 0 && r.unwrap === undefined ? new Map<bigint, SampleSeries>() : undefined;
  const seriesOf = (labels: Labels): SampleSeries => {
    const key = labelsKey(labels);
    let s = series.get(key);
    if (s === undefined) series.set(key, (s = { labels, timestamps: [], values: [] }));
    return s;
  };
  // Counting functions over an unchanged line need only its time, not its text.
  const withText = byStream === undefined || r.op === 'bytes_over_time' || r.op === 'bytes_rate';
  await querier.scanLogs({ matchers: plan.matchers, lineFilters: plan.lineFilters, startNs, endNs, direction: 'forward', withText }, (lines) => {
    for (const l of lines) {
      let s: SampleSeries;
      let v: number;
      if (byStream !== undefined) {
        const known = byStream.get(l.streamId);
        s = known ?? seriesOf(project({ ...l.labels }));
        if (known === undefined) byStream.set(l.streamId, s);
        v = value(l.line, {});
      } else {
        const out = pipeline(l.line, l.timeNs, l.labels);
        if (out === undefined) continue;
        v = value(out.line, out.labels);
        if (!unwrapFilters.every((f) => f(out.labels))) continue;
        const error = out.labels[ERROR_LABEL];
        if (error !== undefined) {
          throw new VigilError('bad_data', `pipeline error: '${error}' for series: '${formatLabels(out.labels)}'. Use a label filter to intentionally skip this error. (e.g | __error__!="${error}"). To skip all potential errors you can match empty errors.(e.g __error__="") The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__="" )`);
        }
        s = seriesOf(project(out.labels));
      }
      s.timestamps.push(Number((l.timeNs + NS_PER_MS - 1n) / NS_PER_MS));
      s.values.push(v);
      if (++count > maxSamples) throw new VigilError('limit_exceeded', `the query would read more than ${maxSamples} log lines into samples`);
    }
    return true;
  });
  return [...series.values()];
}

function sampleValue(r: RangeAggregation): (line: string, labels: Record<string, string>) => number {
  if (r.unwrap !== undefined) return unwrapValue(r.unwrap);
  if (r.op === 'bytes_over_time' || r.op === 'bytes_rate') return (line) => Buffer.byteLength(line);
  return () => 1;
}

/** The unwrapped label as a number (and the label removed), or __error__ SampleExtractionErr. */
function unwrapValue(u: Unwrap): (line: string, labels: Record<string, string>) => number {
  const convert = u.conversion === 'bytes' ? parseBytes : u.conversion === '' ? parseFloatLabel : parseGoDurationSeconds;
  return (_line, labels) => {
    const text = labels[u.label];
    delete labels[u.label];
    if (labels[ERROR_LABEL] !== undefined) return 0;
    const v = text === undefined ? undefined : convert(text);
    if (v === undefined) {
      labels[ERROR_LABEL] = 'SampleExtractionErr';
      labels[ERROR_DETAILS_LABEL] = text === undefined ? `label ${u.label} not found` : `cannot convert ${JSON.stringify(text)} to a number`;
      return 0;
    }
    return v;
  };
}

function parseFloatLabel(text: string): number | undefined {
  const v = Number(text.trim());
  return text.trim() === '' || (Number.isNaN(v) && text.trim() !== 'NaN') ? undefined : v;
}

/** A range aggregation's own `by`/`without`: samples are grouped before the function runs. */
function projection(g: Grouping | undefined): (labels: Record<string, string>) => Labels {
  if (g === undefined) return (labels) => labels;
  const names = new Set(g.labels);
  return (labels) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) if (names.has(k) !== g.without) out[k] = v;
    return out;
  };
}

function formatLabels(labels: Labels): string {
  return `{${Object.entries(labels)
    .sort()
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}
