import { quote, VigilError } from '../../core/index.js';
import type { QueryOptions } from '../engine/index.js';
import type { Expr } from '../promql/index.js';
import { documentedType, isParseError, parseExpr, valueTypeOf } from '../promql/index.js';
import { durationParam, invalidParam, requiredTimeParam, timeParam } from './params.js';
import type { Form } from './params.js';
import type { ApiContext, ApiResult } from './apiContext.js';
import { queryDataJson } from './promJson.js';

/** Prometheus' guard against huge responses: at most this many steps per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** GET|POST /api/v1/query: query, time (default now), timeout. */
export async function queryHandler(ctx: ApiContext): Promise<ApiResult> {
  const time = timeParam(ctx.form, 'time', ctx.now());
  const expr = queryParam(ctx);
  const value = await ctx.engine.instantQuery(ctx.queryable, expr, time, queryOptions(ctx));
  return { data: queryDataJson(value) };
}

/** GET|POST /api/v1/query_range: query, start, end, step, timeout. */
export async function queryRangeHandler(ctx: ApiContext): Promise<ApiResult> {
  const start = requiredTimeParam(ctx.form, 'start');
  const end = requiredTimeParam(ctx.form, 'end');
  if (end < start) throw invalidParam('end', 'end timestamp must not be before start time');
  const step = durationParam(ctx.form, 'step');
  if (step <= 0) throw invalidParam('step', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  if (Math.floor((end - start) / step) > MAX_POINTS_PER_SERIES) {
    throw new VigilError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const expr = queryParam(ctx);
  const type = valueTypeOf(expr);
  if (type !== 'vector' && type !== 'scalar') {
    throw invalidParam('query', `invalid expression type ${quote(documentedType(type))} for range query, must be Scalar or instant Vector`);
  }
  const value = await ctx.engine.rangeQuery(ctx.queryable, expr, start, end, step, queryOptions(ctx));
  return { data: queryDataJson(value) };
}

/** The `query` parameter, parsed, after its length check; a parse error names the parameter, as Prometheus' do. */
export function queryParam(ctx: Pick<ApiContext, 'form' | 'maxQueryLength'>): Expr {
  const text = ctx.form.get('query');
  checkQueryLength('query', text, ctx.maxQueryLength);
  try {
    return parseExpr(text);
  } catch (err) {
    if (isParseError(err)) throw invalidParam('query', err.message);
    throw err;
  }
}

/** Refuses query text over limits.maxQueryLength before any parsing: its memory must not depend on what clients send. */
export function checkQueryLength(param: string, text: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) throw invalidParam(param, `the query is ${bytes} bytes long, more than limits.maxQueryLength (${maxBytes} bytes)`);
}

/** The server's limit, or the request's `timeout` parameter when that is shorter. */
export function requestTimeoutMs(form: Form, serverMs: number): number {
  if (form.get('timeout') === '') return serverMs;
  const asked = durationParam(form, 'timeout');
  if (asked <= 0) throw invalidParam('timeout', 'timeout must be positive');
  return Math.min(serverMs, asked);
}

function queryOptions(ctx: ApiContext): QueryOptions {
  return {
    signal: ctx.signal,
    ...(ctx.maxSamples === undefined ? {} : { maxSamples: ctx.maxSamples }),
    ...(ctx.maxSeries === undefined ? {} : { maxSeries: ctx.maxSeries }),
  };
}
