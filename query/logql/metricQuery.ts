import { lowerBound, VigilError } from '../../core/index.js';
import type { LabelMatcher, Querier, SeriesSamples } from '../../storage/index.js';
import type { Engine, Queryable, QueryValue } from '../engine/index.js';
import type { MetricExpr } from './ast.js';
import { rangeAggregations } from './ast.js';
import { promqlText, seriesName } from './promqlText.js';
import type { SampleSeries } from './sampleSeries.js';
import { sampleSeries } from './sampleSeries.js';

const NS_PER_MS = 1_000_000n;

export interface MetricQueryOptions {
  /** Reads the tenant's logs; its range must cover every range aggregation's window. */
  readonly logs: Queryable;
  readonly engine: Engine;
  readonly signal?: AbortSignal;
  /** Most lines turned into samples over the whole query. */
  readonly maxSamples: number;
}

/**
 * A metric query evaluated by the PromQL engine: each range aggregation's lines become sample
 * series (sampleSeries.ts), and the expression, rewritten as PromQL over those series
 * (promqlText.ts), runs on the engine's own range-function, aggregation and binary-operator
 * code. `stepMs` undefined: an instant query at `endMs`.
 */
export async function evalMetricQuery(expr: MetricExpr, startMs: number, endMs: number, stepMs: number | undefined, opts: MetricQueryOptions): Promise<QueryValue> {
  const leaves = rangeAggregations(expr);
  const text = promqlText(expr, leaves);
  const series: SampleSeries[][] = [];
  let budget = opts.maxSamples;
  for (const r of leaves) {
    // Loki's window of the first step is (start - range - offset, start - offset].
    const fromMs = startMs - r.rangeMs - r.offsetMs;
    const toMs = endMs - r.offsetMs;
    const querier = opts.logs.querier(fromMs, toMs, opts.signal === undefined ? {} : { signal: opts.signal });
    const got = await sampleSeries(querier, r, BigInt(fromMs) * NS_PER_MS + 1n, BigInt(toMs) * NS_PER_MS, budget);
    budget -= got.reduce((n, s) => n + s.timestamps.length, 0);
    series.push(got);
  }
  const queryable = samplesQueryable(series);
  const options = opts.signal === undefined ? {} : { signal: opts.signal };
  return stepMs === undefined ? opts.engine.instantQuery(queryable, text, endMs, options) : opts.engine.rangeQuery(queryable, text, startMs, endMs, stepMs, options);
}

/** The sample series as a Queryable the engine reads `__logql_<i>` from; other reads are refused. */
function samplesQueryable(series: readonly SampleSeries[][]): Queryable {
  const select = (matchers: readonly LabelMatcher[], minT: number, maxT: number): SeriesSamples[] => {
    const name = matchers.find((m) => m.name === '__name__' && m.type === '=')?.value;
    const index = series.findIndex((_s, i) => seriesName(i) === name);
    if (index < 0) return [];
    const out: SeriesSamples[] = [];
    (series[index] ?? []).forEach((s, i) => {
      const lo = lowerBound(s.timestamps, minT);
      const hi = lowerBound(s.timestamps, maxT + 1);
      if (hi > lo) out.push({ id: BigInt(i), labels: s.labels, timestamps: Float64Array.from(s.timestamps.slice(lo, hi)), values: Float64Array.from(s.values.slice(lo, hi)) });
    });
    return out;
  };
  const refuse = (): Promise<never> => Promise.reject(new VigilError('internal', 'a LogQL metric query reads only its sample series'));
  return {
    querier: (minT, maxT): Querier => ({
      selectSamples: (matchers) => Promise.resolve(select(matchers, minT, maxT)),
      selectSeries: (matchers) => Promise.resolve(select(matchers, minT, maxT).map((s) => ({ id: s.id, labels: s.labels }))),
      selectLogs: refuse,
      scanLogs: refuse,
      selectStreams: refuse,
      logStats: refuse,
      selectEvents: refuse,
      labelNames: refuse,
      labelValues: refuse,
      logLabelNames: refuse,
      logLabelValues: refuse,
      metadata: refuse,
    }),
  };
}
