import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, STALE_NAN } from '../../core/index.js';
import type { QueryableStore } from '../../query/index.js';
import { prometheusApi } from '../../query/index.js';
import { busyUntilAborted, MemoryStore } from './memoryStore.js';

const T0 = 1_700_000_000_000; // 2023-11-14T22:13:20Z
const NOW = T0 + 60_000;

function buildStore(): MemoryStore {
  const store = new MemoryStore();
  store.add(
    'default',
    { labels: { __name__: 'up', job: 'api', instance: 'a' }, samples: [{ t: T0, v: 1 }, { t: T0 + 15_000, v: 1 }, { t: T0 + 30_000, v: 0 }] },
    { labels: { __name__: 'up', job: 'db', instance: 'b' }, samples: [{ t: T0, v: 1 }, { t: T0 + 15_000, v: STALE_NAN }] },
    {
      labels: { __name__: 'odd', kind: '<special>' },
      samples: [
        { t: T0, v: NaN },
        { t: T0 + 1, v: Infinity },
        { t: T0 + 2, v: -Infinity },
        { t: T0 + 3, v: 1e-7 },
        { t: T0 + 4, v: 1.5e21 },
        { t: T0 + 100, v: 0.1 },
      ],
    },
  );
  store.add('team-b', { labels: { __name__: 'up', job: 'secret' }, samples: [{ t: T0, v: 7 }] });
  store.addMetadata(
    'default',
    { metricFamilyName: 'up', type: 'gauge', help: 'Target is up.', unit: '' },
    { metricFamilyName: 'up', type: 'gauge', help: 'Target is up.', unit: '' },
    { metricFamilyName: 'http_requests_total', type: 'counter', help: 'Requests.', unit: 'requests' },
  );
  return store;
}

async function buildApp(store: QueryableStore, registry = new Registry(), extra: { maxSamples?: number } = {}): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(prometheusApi, { store, registry, logger: createLogger('silent'), now: () => NOW, ...extra });
  await app.ready();
  return app;
}

const upApi = '{"__name__":"up","instance":"a","job":"api"}';
const upDb = '{"__name__":"up","instance":"b","job":"db"}';

describe('Prometheus API: successful requests answer in Prometheus JSON, byte for byte', () => {
  let app: FastifyInstance;
  let registry: Registry;
  beforeAll(async () => {
    registry = new Registry();
    app = await buildApp(buildStore(), registry);
  });
  afterAll(async () => {
    await app.close();
  });

  const cases: { name: string; method?: 'GET' | 'POST'; url: string; form?: string; headers?: Record<string, string>; body: string }[] = [
    {
      name: 'instant query at a Unix time with milliseconds',
      url: '/api/v1/query?query=up&time=1700000000.123',
      body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":${upApi},"value":[1700000000.123,"1"]},{"metric":${upDb},"value":[1700000000.123,"1"]}]}}`,
    },
    {
      name: 'instant query at an RFC3339 time; the stale marker has ended up{job="db"}',
      url: '/api/v1/query?query=up&time=2023-11-14T22:13:50.1Z',
      body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":${upApi},"value":[1700000030.100,"0"]}]}}`,
    },
    {
      name: 'instant query without time evaluates now',
      url: '/api/v1/query?query=up{job="api"}',
      body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":${upApi},"value":[1700000060,"0"]}]}}`,
    },
    {
      name: 'instant query posted as a form',
      method: 'POST',
      url: '/api/v1/query',
      form: 'query=up%7Bjob%3D%22api%22%7D&time=1700000015',
      body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":${upApi},"value":[1700000015,"1"]}]}}`,
    },
    {
      name: 'an instant query of a range selector returns a matrix of raw samples',
      url: '/api/v1/query?query=up[20s]&time=1700000030',
      body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":${upApi},"values":[[1700000015,"1"],[1700000030,"0"]]}]}}`,
    },
    {
      name: 'special values are written as Prometheus writes them',
      url: '/api/v1/query?query=odd[1s]&time=1700000000.004',
      body:
        '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"odd","kind":"\\u003cspecial\\u003e"},' +
        '"values":[[1700000000,"NaN"],[1700000000.001,"+Inf"],[1700000000.002,"-Inf"],[1700000000.003,"1e-07"],[1700000000.004,"1.5e+21"]]}]}}',
    },
    {
      name: 'range query with step as a duration',
      url: '/api/v1/query_range?query=up&start=1700000000&end=1700000030&step=15s',
      body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":${upApi},"values":[[1700000000,"1"],[1700000015,"1"],[1700000030,"0"]]},{"metric":${upDb},"values":[[1700000000,"1"]]}]}}`,
    },
    {
      name: 'range query posted as a form with step in float seconds',
      method: 'POST',
      url: '/api/v1/query_range',
      form: 'query=up{job="api"}&start=2023-11-14T22:13:20Z&end=1700000001&step=0.5',
      body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":${upApi},"values":[[1700000000,"1"],[1700000000.500,"1"],[1700000001,"1"]]}]}}`,
    },
    {
      name: 'range query with nothing to show',
      url: '/api/v1/query_range?query=nothing&start=1700000000&end=1700000030&step=15',
      body: '{"status":"success","data":{"resultType":"matrix","result":[]}}',
    },
    {
      name: 'the tenant comes from X-Scope-OrgID',
      url: '/api/v1/query?query=up&time=1700000000',
      headers: { 'x-scope-orgid': 'team-b' },
      body: '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"secret"},"value":[1700000000,"7"]}]}}',
    },
    {
      name: 'series: the union of every match[], sorted',
      url: '/api/v1/series?match[]=up{job="db"}&match[]=up{instance="a"}&match[]=up{job="api"}',
      body: `{"status":"success","data":[${upApi},${upDb}]}`,
    },
    {
      name: 'series posted as a form, limited',
      method: 'POST',
      url: '/api/v1/series',
      form: 'match[]=up&limit=1',
      body: `{"status":"success","data":[${upApi}],"warnings":["results truncated due to limit"]}`,
    },
    {
      name: 'series within start and end only',
      url: '/api/v1/series?match[]={__name__=~".%2B"}&start=1700000000.050&end=1700000001',
      body: '{"status":"success","data":[{"__name__":"odd","kind":"\\u003cspecial\\u003e"}]}',
    },
    {
      name: 'label names',
      url: '/api/v1/labels',
      body: '{"status":"success","data":["__name__","instance","job","kind"]}',
    },
    {
      name: 'label names of matching series',
      url: '/api/v1/labels?match[]=up',
      body: '{"status":"success","data":["__name__","instance","job"]}',
    },
    {
      name: 'label values',
      url: '/api/v1/label/job/values',
      body: '{"status":"success","data":["api","db"]}',
    },
    {
      name: 'label values of matching series, for another tenant',
      url: '/api/v1/label/__name__/values?match[]={job=~".%2B"}',
      headers: { 'x-scope-orgid': 'team-b' },
      body: '{"status":"success","data":["up"]}',
    },
    {
      name: 'label values of an unknown label',
      url: '/api/v1/label/nope/values',
      body: '{"status":"success","data":[]}',
    },
    {
      name: 'metadata, duplicates folded',
      url: '/api/v1/metadata',
      body:
        '{"status":"success","data":{"up":[{"type":"gauge","help":"Target is up.","unit":""}],' +
        '"http_requests_total":[{"type":"counter","help":"Requests.","unit":"requests"}]}}',
    },
    {
      name: 'metadata of one metric',
      url: '/api/v1/metadata?metric=http_requests_total',
      body: '{"status":"success","data":{"http_requests_total":[{"type":"counter","help":"Requests.","unit":"requests"}]}}',
    },
    {
      name: 'metadata limited to one metric',
      url: '/api/v1/metadata?limit=1',
      body: '{"status":"success","data":{"up":[{"type":"gauge","help":"Target is up.","unit":""}]}}',
    },
    {
      name: 'build info',
      url: '/api/v1/status/buildinfo',
      body: '{"status":"success","data":{"version":"3.0.0","revision":"","branch":"","buildUser":"vigil","buildDate":"","goVersion":""}}',
    },
  ];

  it.each(cases)('$name', async ({ method, url, form, headers, body }) => {
    const res = await app.inject({
      method: method ?? 'GET',
      url,
      headers: { ...headers, ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form === undefined ? {} : { payload: form }),
    });
    expect(res.body).toBe(body);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('counts requests and their duration by endpoint', async () => {
    const text = await registry.metrics();
    expect(text).toMatch(/vigil_query_requests_total\{endpoint="query",code="200"\} [1-9]/);
    expect(text).toMatch(/vigil_query_requests_total\{endpoint="series",code="200"\} 3/);
    expect(text).toMatch(/vigil_query_request_duration_seconds_count\{endpoint="query_range"\} 3/);
  });
});

describe('Prometheus API: errors answer with Prometheus status, errorType and wording', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(buildStore());
  });
  afterAll(async () => {
    await app.close();
  });

  const cases: { url: string; method?: 'GET' | 'POST'; form?: string; contentType?: string; headers?: Record<string, string>; status: number; type: string; error: string }[] = [
    { url: '/api/v1/query', status: 400, type: 'bad_data', error: 'invalid parameter "query": parse error at char 1: no expression found in input' },
    { url: '/api/v1/query?query=up{', status: 400, type: 'bad_data', error: 'invalid parameter "query": parse error at char 4: unexpected end of input in label matching, expected identifier or "}"' },
    { url: '/api/v1/query?query=up&time=yesterday', status: 400, type: 'bad_data', error: 'invalid parameter "time": Invalid time value for \'time\': cannot parse "yesterday" to a valid timestamp' },
    { url: '/api/v1/query?query=up&timeout=soon', status: 400, type: 'bad_data', error: 'invalid parameter "timeout": cannot parse "soon" to a valid duration' },
    { url: '/api/v1/query_range?query=up&end=10&step=1', status: 400, type: 'bad_data', error: 'invalid parameter "start": cannot parse "" to a valid timestamp' },
    { url: '/api/v1/query_range?query=up&start=10&end=5&step=1', status: 400, type: 'bad_data', error: 'invalid parameter "end": end timestamp must not be before start time' },
    { url: '/api/v1/query_range?query=up&start=0&end=5&step=0', status: 400, type: 'bad_data', error: 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer' },
    { url: '/api/v1/query_range?query=up&start=0&end=5&step=x', status: 400, type: 'bad_data', error: 'invalid parameter "step": cannot parse "x" to a valid duration' },
    {
      url: '/api/v1/query_range?query=up&start=0&end=11001&step=1',
      status: 400,
      type: 'bad_data',
      error: 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    },
    {
      url: '/api/v1/query_range?query=up[5m]&start=0&end=60&step=15',
      status: 400,
      type: 'bad_data',
      error: 'invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    },
    { url: '/api/v1/series', status: 400, type: 'bad_data', error: 'no match[] parameter provided' },
    { url: '/api/v1/series?match[]=up[5m]', status: 400, type: 'bad_data', error: 'invalid parameter "match[]": parse error at char 1: a series selector must be a vector selector, not a range selector' },
    { url: '/api/v1/series?match[]={a=""}', status: 400, type: 'bad_data', error: 'invalid parameter "match[]": parse error at char 1: vector selector must contain at least one non-empty matcher' },
    { url: '/api/v1/series?match[]=up&start=x', status: 400, type: 'bad_data', error: 'invalid parameter "start": Invalid time value for \'start\': cannot parse "x" to a valid timestamp' },
    { url: '/api/v1/series?match[]=up&limit=-1', status: 400, type: 'bad_data', error: 'invalid parameter "limit": "-1" is not a positive integer' },
    { url: '/api/v1/labels?match[]=up}', status: 400, type: 'bad_data', error: 'parse error at char 3: unexpected "}"' },
    { url: '/api/v1/label/1bad/values', status: 400, type: 'bad_data', error: 'invalid label name: "1bad"' },
    { url: '/api/v1/metadata?limit=ten', status: 400, type: 'bad_data', error: 'limit must be a number' },
    { url: '/api/v1/query?query=up', headers: { 'x-scope-orgid': 'a/b' }, status: 400, type: 'bad_data', error: 'invalid X-Scope-OrgID "a/b": 1-150 characters of letters, digits and !-_.*\'()' },
    { url: '/api/v1/query?query=up', headers: { 'x-scope-orgid': '*' }, status: 400, type: 'bad_data', error: 'invalid X-Scope-OrgID "*": 1-150 characters of letters, digits and !-_.*\'()' },
    { url: '/api/v1/query', method: 'POST', form: '{"query":"up"}', contentType: 'application/json', status: 415, type: 'bad_data', error: 'Unsupported Media Type' },
  ];

  it.each(cases)('$method $url $form → $status $error', async ({ url, method, form, contentType, headers, status, type, error }) => {
    const res = await app.inject({
      method: method ?? 'GET',
      url,
      headers: { ...headers, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
      ...(form === undefined ? {} : { payload: form }),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ status: 'error', errorType: type, error });
    expect(res.body).toBe(`{"status":"error","errorType":"${type}","error":${JSON.stringify(error).replace(/</g, '\\u003c')}}`);
  });

  it('answers 503 timeout when the store does not answer within the timeout', async () => {
    const never: QueryableStore = {
      querier: (tenant, minT, maxT, options) => ({ ...new MemoryStore().querier(tenant, minT, maxT), selectSamples: () => busyUntilAborted(options) }),
    };
    const slow = await buildApp(never);
    const res = await slow.inject({ url: '/api/v1/query?query=up&timeout=20ms' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
    await slow.close();
  });

  it.each([
    ['/api/v1/query', 'query'],
    ['/api/v1/query_range', 'query'],
    ['/api/v1/series', 'match[]'],
  ])('%s refuses %s text over limits.maxQueryLength (64 KiB) with a 400 naming the limit, before parsing', async (url, param) => {
    const app = await buildApp(buildStore());
    const text = `up{job=~"${'a|'.repeat(33_000)}a"}`;
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ [param]: text, start: '1', end: '2', step: '1' }).toString() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: `invalid parameter "${param}": the query is ${text.length} bytes long, more than limits.maxQueryLength (65536 bytes)`,
    });
    await app.close();
  });

  it('answers 500 internal when the store fails', async () => {
    const broken: QueryableStore = {
      querier: (tenant, minT, maxT) => ({ ...new MemoryStore().querier(tenant, minT, maxT), labelNames: () => Promise.reject(new Error('disk on fire')) }),
    };
    const failing = await buildApp(broken);
    const res = await failing.inject({ url: '/api/v1/labels' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ status: 'error', errorType: 'internal', error: 'disk on fire' });
    await failing.close();
  });

  it('answers 422 execution when a query would load too many samples', async () => {
    const small = await buildApp(buildStore(), new Registry(), { maxSamples: 2 });
    const res = await small.inject({ url: '/api/v1/query?query=up[1h]&time=1700000030' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory in query execution' });
    await small.close();
  });
});

describe('Prometheus API: the tenant is the request identity\'s, when the platform set one', () => {
  // Stands in for the platform's auth hook: a token bound to team-b sets request.identity.
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    app.addHook('onRequest', async (req) => {
      const bound = req.headers['x-test-token-tenant'];
      if (typeof bound === 'string') req.identity = { tenant: bound, principal: null };
    });
    await app.register(prometheusApi, { store: buildStore(), registry: new Registry(), logger: createLogger('silent'), now: () => NOW });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const cases: Array<{ name: string; headers: Record<string, string>; jobs: string[] }> = [
    { name: 'the identity\'s tenant', headers: { 'x-test-token-tenant': 'team-b' }, jobs: ['secret'] },
    { name: 'the identity\'s tenant wins over X-Scope-OrgID', headers: { 'x-test-token-tenant': 'team-b', 'x-scope-orgid': 'default' }, jobs: ['secret'] },
    { name: 'the identity\'s tenant wins over X-Scope-OrgID, both ways', headers: { 'x-test-token-tenant': 'default', 'x-scope-orgid': 'team-b' }, jobs: ['api', 'db'] },
    { name: 'without an identity, X-Scope-OrgID', headers: { 'x-scope-orgid': 'team-b' }, jobs: ['secret'] },
    { name: 'without either, the default tenant', headers: {}, jobs: ['api', 'db'] },
  ];
  it.each(cases)('$name', async ({ headers, jobs }) => {
    const res = await app.inject({ url: '/api/v1/label/job/values', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'success', data: jobs });
  });
});
