import { VigilError } from '../../../core/index.js';
import type { LabelMatcher, Querier } from '../../../storage/index.js';
import type { Engine, Queryable } from '../../engine/index.js';
import type { Expr, LogExpr } from '../../logql/index.js';
import { detectPatterns, evalLogQuery, evalMetricQuery, parseLogql } from '../../logql/index.js';
import type { Form } from '../params.js';
import { queryDataJson } from '../promJson.js';
import { indexStatsJson, streamsDataJson, successJson } from './lokiJson.js';
import { directionParam, limitParam, lokiTimeNs, nsToMs, rangeParamsNs, stepParamMs } from './lokiParams.js';

/** What a Loki endpoint handler gets. */
export interface LokiContext {
  readonly form: Form;
  readonly params: Readonly<Record<string, string>>;
  readonly logs: Queryable;
  readonly engine: Engine;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly maxQueryLength: number;
  /** Most lines a metric query may turn into samples. */
  readonly maxSamples: number;
}

/** A handler answers with the whole JSON body. */
export type LokiHandler = (ctx: LokiContext) => Promise<string>;

const NS_PER_MS = 1_000_000n;
/** Loki's default range of the label and series endpoints. */
const LABELS_SINCE_MS = 6 * 3600_000;

function queryParam(ctx: LokiContext, name = 'query'): Expr {
  const text = ctx.form.get(name);
  if (text === '') throw new VigilError('bad_data', `missing parameter ${JSON.stringify(name)}`);
  if (Buffer.byteLength(text) > ctx.maxQueryLength) throw new VigilError('bad_data', `the query is longer than the limit of ${ctx.maxQueryLength} bytes`);
  return parseLogql(text);
}

/** A querier over [startNs, endNs) in ns, as whole milliseconds. */
function querier(ctx: LokiContext, startNs: bigint, endNs: bigint): Querier {
  return ctx.logs.querier(nsToMs(startNs), nsToMs(endNs - 1n), { signal: ctx.signal });
}

/** GET|POST /loki/api/v1/query: a metric query at `time` (default now). Log queries need a range, as in Loki 3. */
export const queryHandler: LokiHandler = async (ctx) => {
  const expr = queryParam(ctx);
  if (expr.kind === 'log') throw new VigilError('bad_data', 'log queries are not supported as an instant query type, please change your query to a range query type');
  const timeMs = nsToMs(lokiTimeNs(ctx.form, 'time', BigInt(ctx.now()) * NS_PER_MS));
  const value = await evalMetricQuery(expr, timeMs, timeMs, undefined, { logs: ctx.logs, engine: ctx.engine, signal: ctx.signal, maxSamples: ctx.maxSamples });
  return successJson(queryDataJson(value));
};

/** GET|POST /loki/api/v1/query_range: streams for a log query, a matrix for a metric query. */
export const queryRangeHandler: LokiHandler = async (ctx) => {
  const expr = queryParam(ctx);
  const { startNs, endNs } = rangeParamsNs(ctx.form, ctx.now());
  const limit = limitParam(ctx.form);
  const direction = directionParam(ctx.form);
  if (expr.kind === 'log') {
    const streams = await evalLogQuery(querier(ctx, startNs, endNs), expr, { startNs, endNs, direction, limit });
    return successJson(streamsDataJson(streams));
  }
  const startMs = nsToMs(startNs);
  const endMs = nsToMs(endNs);
  const step = stepParamMs(ctx.form, startMs, endMs);
  const value = await evalMetricQuery(expr, startMs, endMs, step, { logs: ctx.logs, engine: ctx.engine, signal: ctx.signal, maxSamples: ctx.maxSamples });
  return successJson(queryDataJson(value));
};

/** The selector of `query` (or a `match[]`) for the label and series endpoints: stream matchers only. */
function selectorParam(ctx: LokiContext, text: string): readonly LabelMatcher[] {
  if (Buffer.byteLength(text) > ctx.maxQueryLength) throw new VigilError('bad_data', `the query is longer than the limit of ${ctx.maxQueryLength} bytes`);
  const expr = parseLogql(text);
  if (expr.kind !== 'log') throw new VigilError('bad_data', 'only a stream selector such as {app="api"} is allowed here');
  return (expr as LogExpr).matchers;
}

/** GET|POST /loki/api/v1/labels: stream label names in range (optionally of the streams `query` selects). */
export const labelsHandler: LokiHandler = async (ctx) => {
  const { startNs, endNs } = rangeParamsNs(ctx.form, ctx.now(), LABELS_SINCE_MS);
  const q = querier(ctx, startNs, endNs);
  const text = ctx.form.get('query');
  if (text === '') return successJson(JSON.stringify(await q.logLabelNames()));
  const names = new Set<string>();
  for (const labels of await q.selectStreams(selectorParam(ctx, text))) for (const n of Object.keys(labels)) names.add(n);
  return successJson(JSON.stringify([...names].sort()));
};

/** GET /loki/api/v1/label/:name/values: a label's values in range (optionally of the streams `query` selects). */
export const labelValuesHandler: LokiHandler = async (ctx) => {
  const name = ctx.params['name'] ?? '';
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new VigilError('bad_data', `invalid label name ${JSON.stringify(name)}`);
  const { startNs, endNs } = rangeParamsNs(ctx.form, ctx.now(), LABELS_SINCE_MS);
  const q = querier(ctx, startNs, endNs);
  const text = ctx.form.get('query');
  if (text === '') return successJson(JSON.stringify(await q.logLabelValues(name)));
  const values = new Set<string>();
  for (const labels of await q.selectStreams(selectorParam(ctx, text))) {
    const v = labels[name];
    if (v !== undefined && v !== '') values.add(v);
  }
  return successJson(JSON.stringify([...values].sort()));
};

/** GET|POST /loki/api/v1/series: the label sets of the streams any `match[]` selects in range. */
export const seriesHandler: LokiHandler = async (ctx) => {
  const selectors = ctx.form.all('match[]').length > 0 ? ctx.form.all('match[]') : ctx.form.all('match');
  if (selectors.length === 0) throw new VigilError('bad_data', 'at least one match[] argument must be provided');
  const { startNs, endNs } = rangeParamsNs(ctx.form, ctx.now(), LABELS_SINCE_MS);
  const q = querier(ctx, startNs, endNs);
  const seen = new Map<string, Readonly<Record<string, string>>>();
  for (const text of selectors) for (const labels of await q.selectStreams(selectorParam(ctx, text))) seen.set(JSON.stringify(Object.entries(labels).sort()), labels);
  return successJson(JSON.stringify([...seen.values()]));
};

/** GET|POST /loki/api/v1/index/stats: streams, chunks, entries and bytes the selector covers (no envelope, as in Loki). */
export const indexStatsHandler: LokiHandler = async (ctx) => {
  const matchers = selectorParam(ctx, ctx.form.get('query'));
  const { startNs, endNs } = rangeParamsNs(ctx.form, ctx.now());
  return indexStatsJson(await querier(ctx, startNs, endNs).logStats(matchers, startNs, endNs - 1n));
};

/**
 * GET|POST /loki/api/v1/patterns: the Drain templates of the lines `query` (a log query)
 * selects in [start, end), with their lines per `step`, most frequent first.
 */
export const patternsHandler: LokiHandler = async (ctx) => {
  const expr = queryParam(ctx);
  if (expr.kind !== 'log') throw new VigilError('bad_data', 'patterns need a log query such as {app="api"}');
  const { startNs, endNs } = rangeParamsNs(ctx.form, ctx.now());
  const step = stepParamMs(ctx.form, nsToMs(startNs), nsToMs(endNs));
  const patterns = await detectPatterns(querier(ctx, startNs, endNs), expr, startNs, endNs, step);
  return successJson(JSON.stringify(patterns.map((p) => ({ pattern: p.pattern, samples: p.samples.map(([ms, n]) => [ms / 1000, n]) }))));
};
