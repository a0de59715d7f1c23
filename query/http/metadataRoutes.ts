import type { MetricMetadata } from '../../core/index.js';
import { isValidLabelName, quote, VigilError } from '../../core/index.js';
import type { LabelMatcher, StoredSeries } from '../../storage/index.js';
import { sortByLabels } from '../engine/index.js';
import { isParseError, parseSeriesSelector } from '../promql/index.js';
import { invalidParam, limitParam, MAX_TIME_MS, MIN_TIME_MS, positiveLimitParam, timeParam } from './params.js';
import type { Form } from './params.js';
import type { ApiContext, ApiResult } from './apiContext.js';
import { labelsJson } from './promJson.js';
import { checkQueryLength } from './queryRoutes.js';

const truncatedWarning = 'results truncated due to limit';

/** GET|POST /api/v1/series: match[] (required, repeated), start, end, limit. */
export async function seriesHandler(ctx: ApiContext): Promise<ApiResult> {
  if (ctx.form.all('match[]').length === 0) throw new VigilError('bad_data', 'no match[] parameter provided');
  const { start, end } = range(ctx.form);
  const sets = matcherSets(ctx, true);
  const limit = positiveLimitParam(ctx.form, 'limit');
  const q = ctx.queryable.querier(start, end, { signal: ctx.signal });
  const byId = new Map<bigint, StoredSeries>();
  for (const matchers of sets) {
    for (const s of await q.selectSeries(matchers)) byId.set(s.id, s);
  }
  const all = sortByLabels([...byId.values()]);
  const shown = all.slice(0, limit);
  return { data: `[${shown.map((s) => labelsJson(s.labels)).join(',')}]`, warnings: truncated(all.length, limit) };
}

/** GET|POST /api/v1/labels: optional match[], start, end, limit. */
export async function labelNamesHandler(ctx: ApiContext): Promise<ApiResult> {
  const { start, end } = range(ctx.form);
  const sets = matcherSets(ctx, false);
  const limit = positiveLimitParam(ctx.form, 'limit');
  const q = ctx.queryable.querier(start, end, { signal: ctx.signal });
  const names = new Set<string>();
  if (sets.length === 0) for (const n of await q.labelNames()) names.add(n);
  for (const matchers of sets) for (const n of await q.labelNames(matchers)) names.add(n);
  return stringList([...names], limit);
}

/** GET /api/v1/label/<name>/values: optional match[], start, end, limit. */
export async function labelValuesHandler(ctx: ApiContext): Promise<ApiResult> {
  const name = ctx.params['name'] ?? '';
  if (!isValidLabelName(name)) throw new VigilError('bad_data', `invalid label name: ${quote(name)}`);
  const { start, end } = range(ctx.form);
  const sets = matcherSets(ctx, false);
  const limit = positiveLimitParam(ctx.form, 'limit');
  const q = ctx.queryable.querier(start, end, { signal: ctx.signal });
  const values = new Set<string>();
  if (sets.length === 0) for (const v of await q.labelValues(name)) values.add(v);
  for (const matchers of sets) for (const v of await q.labelValues(name, matchers)) values.add(v);
  return stringList([...values], limit);
}

/** GET /api/v1/metadata: metric, limit (metrics), limit_per_metric. */
export async function metadataHandler(ctx: ApiContext): Promise<ApiResult> {
  const limit = limitParam(ctx.form, 'limit');
  const perMetric = limitParam(ctx.form, 'limit_per_metric');
  const metric = ctx.form.get('metric');
  const rows = await ctx.queryable.querier(MIN_TIME_MS, MAX_TIME_MS, { signal: ctx.signal }).metadata(metric === '' ? undefined : metric);
  const byMetric = new Map<string, Map<string, MetricMetadata>>();
  for (const m of rows) {
    let entries = byMetric.get(m.metricFamilyName);
    if (entries === undefined) {
      if (limit > 0 && byMetric.size >= limit) continue;
      entries = new Map();
      byMetric.set(m.metricFamilyName, entries);
    }
    if (perMetric > 0 && entries.size >= perMetric) continue;
    // Identical entries reported by several sources appear once.
    entries.set(`${m.type}\xff${m.help}\xff${m.unit}`, m);
  }
  const data: Record<string, { type: string; help: string; unit: string }[]> = {};
  for (const [name, entries] of byMetric) {
    data[name] = [...entries.values()].map((m) => ({ type: m.type, help: m.help, unit: m.unit }));
  }
  return { data: JSON.stringify(data) };
}

function range(form: Form): { start: number; end: number } {
  const start = timeParam(form, 'start', MIN_TIME_MS);
  const end = timeParam(form, 'end', MAX_TIME_MS);
  if (end < start) throw invalidParam('end', 'end timestamp must not be before start time');
  return { start, end };
}

/** Every match[] as a list of matchers. Series errors name the parameter, as Prometheus' do. */
function matcherSets(ctx: ApiContext, nameParam: boolean): LabelMatcher[][] {
  return ctx.form.all('match[]').map((text) => {
    checkQueryLength('match[]', text, ctx.maxQueryLength);
    try {
      return parseSeriesSelector(text);
    } catch (err) {
      if (nameParam && isParseError(err)) throw invalidParam('match[]', err.message);
      throw err;
    }
  });
}

function stringList(items: string[], limit: number): ApiResult {
  items.sort();
  return { data: JSON.stringify(items.slice(0, limit)), warnings: truncated(items.length, limit) };
}

function truncated(total: number, limit: number): string[] {
  return total > limit ? [truncatedWarning] : [];
}

