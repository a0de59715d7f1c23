import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../core/index.js';
import { createLogger, limitsSchema } from '../../../core/index.js';
import { lokiApi } from '../../../query/index.js';
import { DuckDbStore } from '../../../storage/duckdb/index.js';
import { logLine, openStoreApp } from '../../support/storeApp.js';

/**
 * The Loki endpoints besides the query cases of stages.yaml: labels, label values, series,
 * index/stats, Loki's parameter formats and limits, tenants, and cancellation.
 */
const T0 = Date.UTC(2026, 0, 1);
const S = T0 / 1000;
const line = (s: number, stream: Record<string, string>, body: string): LogRecord => logLine(T0, s, stream, body);
const records = [
  line(10, { job: 'api', level: 'info' }, 'GET /a 200'),
  line(20, { job: 'api', level: 'error' }, 'GET /b 500 é'),
  line(7200, { job: 'web', level: 'info' }, 'late line'),
];

describe('Loki endpoints', () => {
  let store: DuckDbStore;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, app, close } = await openStoreApp({
      partitionMs: 3600_000,
      fill: (a) => {
        a.appendLogs('t1', records);
        a.appendLogs('t2', [line(10, { job: 'other-tenant' }, 'secret')]);
      },
      register: (server, store) => server.register(lokiApi, { store, registry: new Registry(), logger: createLogger('silent'), defaultTenant: 't1', now: () => T0 + 3 * 3600_000 }),
    }));
  });
  afterAll(() => close());

  const get = async (path: string, query: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: string; type: string }> => {
    const res = await app.inject({ method: 'GET', url: `/loki/api/v1${path}?${new URLSearchParams(query)}`, headers });
    return { status: res.statusCode, body: res.body, type: String(res.headers['content-type']) };
  };
  const firstHour = { start: String(S), end: String(S + 3600) };

  const answers: Array<[string, string, Record<string, string>, unknown]> = [
    ['labels in range', '/labels', firstHour, { status: 'success', data: ['job', 'level'] }],
    ['label values in range', '/label/level/values', firstHour, { status: 'success', data: ['error', 'info'] }],
    ['label values over everything', '/label/job/values', { start: String(S), end: String(S + 4 * 3600) }, { status: 'success', data: ['api', 'web'] }],
    ['label values of the streams a selector picks', '/label/level/values', { ...firstHour, query: '{job="api", level=~"e.*"}' }, { status: 'success', data: ['error'] }],
    ['series', '/series', { ...firstHour, 'match[]': '{job=~".+"}' }, { status: 'success', data: [{ job: 'api', level: 'error' }, { job: 'api', level: 'info' }] }],
    ['index stats', '/index/stats', { ...firstHour, query: '{job="api"}' }, { streams: 2, chunks: 2, bytes: 23, entries: 2 }],
    ['index stats over two windows', '/index/stats', { start: String(S), end: String(S + 4 * 3600), query: '{level="info"}' }, { streams: 2, chunks: 2, bytes: 19, entries: 2 }],
    ['nanosecond times and the default 6h of labels', '/labels', { end: `${BigInt(T0 + 3 * 3600_000) * 1_000_000n}` }, { status: 'success', data: ['job', 'level'] }],
    ['RFC3339 times', '/label/job/values', { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:30:00.5Z' }, { status: 'success', data: ['api'] }],
    ['since', '/label/job/values', { since: '90m' }, { status: 'success', data: ['web'] }],
    ['another tenant sees only its own streams', '/label/job/values', { ...firstHour, tenant: 't2' }, { status: 'success', data: ['other-tenant'] }],
  ];
  it.each(answers)('%s', async (_name, path, query, expected) => {
    const { tenant, ...params } = query;
    const got = await get(path, params, tenant === undefined ? {} : { 'x-scope-orgid': tenant });
    expect(got.status, got.body).toBe(200);
    expect(got.type).toMatch(/^application\/json/);
    expect(JSON.parse(got.body)).toEqual(expected);
  });

  it('query_range answers streams in Loki JSON, newest first by default', async () => {
    const got = await get('/query_range', { ...firstHour, query: '{job="api"}' });
    expect(JSON.parse(got.body)).toMatchObject({
      status: 'success',
      data: {
        resultType: 'streams',
        result: [
          { stream: { job: 'api', level: 'error' }, values: [[`${BigInt(T0 + 20_000) * 1_000_000n}`, 'GET /b 500 é']] },
          { stream: { job: 'api', level: 'info' }, values: [[`${BigInt(T0 + 10_000) * 1_000_000n}`, 'GET /a 200']] },
        ],
      },
    });
  });

  const refusals: Array<[string, string, Record<string, string>, number, string]> = [
    ['a limit over 5000', '/query_range', { ...firstHour, query: '{job="api"}', limit: '5001' }, 400, 'max entries limit per query exceeded'],
    ['an unknown direction', '/query_range', { ...firstHour, query: '{job="api"}', direction: 'sideways' }, 400, 'direction'],
    ['too many steps', '/query_range', { ...firstHour, query: 'count_over_time({job="api"}[1m])', step: '0.1' }, 400, 'exceeded maximum resolution of 11,000 points'],
    ['end before start', '/query_range', { start: String(S + 10), end: String(S), query: '{job="api"}' }, 400, 'end timestamp must not be before'],
    ['a bad time', '/labels', { start: 'tomorrow' }, 400, 'cannot parse "tomorrow" to a valid timestamp'],
    ['no query', '/query_range', firstHour, 400, 'missing parameter "query"'],
    ['series without match[]', '/series', firstHour, 400, 'at least one match[] argument'],
    ['a metric query as a series selector', '/series', { ...firstHour, 'match[]': 'count_over_time({job="api"}[1m])' }, 400, 'only a stream selector'],
    ['a bad label name', '/label/a-b/values', firstHour, 400, 'invalid label name'],
  ];
  it.each(refusals)('refuses %s', async (_name, path, query, status, message) => {
    const got = await get(path, query);
    expect(got.status).toBe(status);
    expect(got.type).toMatch(/^text\/plain/);
    expect(got.body).toContain(message);
  });

  it('refuses a query longer than limits.maxQueryLength', async () => {
    const small = Fastify();
    await small.register(lokiApi, { store, registry: new Registry(), logger: createLogger('silent'), defaultTenant: 't1', limits: limitsSchema.parse({ maxQueryLength: 32 }) });
    const res = await small.inject({ method: 'GET', url: `/loki/api/v1/query_range?${new URLSearchParams({ ...firstHour, query: `{job="${'a'.repeat(40)}"}` })}` });
    await small.close();
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('longer than the limit of 32 bytes');
  });

  it('accepts POST with a form body', async () => {
    const res = await app.inject({ method: 'POST', url: '/loki/api/v1/query', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ query: 'sum(count_over_time({job="api"}[1h]))', time: String(S + 3600) }).toString() });
    expect(res.json()).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [S + 3600, '2'] }] } });
  });
});

describe('Loki query cancellation', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = new DuckDbStore({ path: ':memory:', registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    const a = store.appender();
    a.appendLogs('t1', Array.from({ length: 50_000 }, (_, i) => line(i % 3600, { job: 'bulk', shard: String(i % 7) }, `line ${i} ${'x'.repeat(i % 50)}`)));
    await a.commit();
  });
  afterAll(() => store.close());

  it('an aborted signal stops a scan between batches and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const q = store.querier('t1', T0, T0 + 3600_000, { signal: controller.signal });
    let batches = 0;
    const scan = q.scanLogs({ matchers: [{ type: '=', name: 'job', value: 'bulk' }], lineFilters: [], startNs: BigInt(T0) * 1_000_000n, endNs: BigInt(T0 + 3600_000) * 1_000_000n, direction: 'forward' }, () => {
      batches++;
      controller.abort();
      return true;
    });
    await expect(scan).rejects.toMatchObject({ code: 'timeout' });
    expect(batches).toBe(1);
  });

  it('the server timeout ends a query with an error, not a partial answer', async () => {
    const app = Fastify();
    await app.register(lokiApi, { store, registry: new Registry(), logger: createLogger('silent'), defaultTenant: 't1', queryTimeoutMs: 1 });
    const res = await app.inject({ method: 'GET', url: `/loki/api/v1/query_range?${new URLSearchParams({ query: 'sum by (shard) (count_over_time({job="bulk"} |~ "x{10}" | pattern "line <n> <_>" [1m]))', start: String(S), end: String(S + 3600), step: '60' })}` });
    await app.close();
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('timed out');
  });
});
