import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import type { PrometheusApiOptions } from '../../query/index.js';
import { apiRoutes, prometheusApi } from '../../query/index.js';
import { MemoryStore } from './memoryStore.js';

/**
 * The endpoints beyond queries and series lookups that Prometheus 2.42 serves and Grafana calls:
 * format_query, the status pages (tsdb cardinality, flags, config, runtime info), and the
 * well-formed empty answers for exemplars, targets, rules and alerts. Bodies are exact.
 */
const T0 = 1_700_000_000_000;
const NOW = T0 + 60_000;

function buildStore(): MemoryStore {
  return new MemoryStore()
    .add(
      'default',
      { labels: { __name__: 'up', job: 'api', instance: 'a' }, samples: [{ t: T0, v: 1 }, { t: T0 + 15_000, v: 1 }] },
      { labels: { __name__: 'up', job: 'db', instance: 'b' }, samples: [{ t: T0 + 5_000, v: 1 }] },
      { labels: { __name__: 'http_requests_total', job: 'api', code: '200' }, samples: [{ t: T0 + 30_000, v: 3 }] },
    )
    .add('team-b', { labels: { __name__: 'secret', job: 'x' }, samples: [{ t: T0, v: 7 }] });
}

async function buildApp(store: PrometheusApiOptions['store']): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(prometheusApi, { store, registry: new Registry(), logger: createLogger('silent'), now: () => NOW, retentionMs: 15 * 24 * 3600_000 });
  await app.ready();
  return app;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('Prometheus API: format_query, status and the endpoints Grafana probes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(buildStore());
  });
  afterAll(async () => {
    await app.close();
  });

  const ok: { name: string; method?: 'GET' | 'POST'; url: string; payload?: string; headers?: Record<string, string>; data: string }[] = [
    { name: 'format_query', url: '/api/v1/format_query?query=up{job="api"}', data: '"up{job=\\"api\\"}"' },
    { name: 'format_query posted as a form', method: 'POST', url: '/api/v1/format_query', payload: 'query=foo%7Bbar%3D%22baz%22%7D%5B5m%5D', data: '"foo{bar=\\"baz\\"}[5m]"' },
    {
      name: 'tsdb status: the tenant\'s cardinality, largest first, ties by name',
      url: '/api/v1/status/tsdb',
      data:
        '{"headStats":{"numSeries":3,"numLabelPairs":7,"chunkCount":0,"minTime":1700000000000,"maxTime":1700000030000},' +
        '"seriesCountByMetricName":[{"name":"up","value":2},{"name":"http_requests_total","value":1}],' +
        '"labelValueCountByLabelName":[{"name":"__name__","value":2},{"name":"instance","value":2},{"name":"job","value":2},{"name":"code","value":1}],' +
        '"memoryInBytesByLabelName":[{"name":"__name__","value":23},{"name":"job","value":8},{"name":"code","value":3},{"name":"instance","value":2}],' +
        '"seriesCountByLabelValuePair":[{"name":"__name__=up","value":2},{"name":"job=api","value":2},{"name":"__name__=http_requests_total","value":1},{"name":"code=200","value":1},{"name":"instance=a","value":1},{"name":"instance=b","value":1},{"name":"job=db","value":1}]}',
    },
    {
      name: 'tsdb status with a limit, for another tenant',
      url: '/api/v1/status/tsdb?limit=1',
      headers: { 'x-scope-orgid': 'team-b' },
      data:
        '{"headStats":{"numSeries":1,"numLabelPairs":2,"chunkCount":0,"minTime":1700000000000,"maxTime":1700000000000},' +
        '"seriesCountByMetricName":[{"name":"secret","value":1}],"labelValueCountByLabelName":[{"name":"__name__","value":1}],' +
        '"memoryInBytesByLabelName":[{"name":"__name__","value":6}],"seriesCountByLabelValuePair":[{"name":"__name__=secret","value":1}]}',
    },
    {
      name: 'tsdb status of a tenant that never wrote',
      url: '/api/v1/status/tsdb',
      headers: { 'x-scope-orgid': 'nobody' },
      data: '{"headStats":{"numSeries":0,"numLabelPairs":0,"chunkCount":0,"minTime":0,"maxTime":0},"seriesCountByMetricName":[],"labelValueCountByLabelName":[],"memoryInBytesByLabelName":[],"seriesCountByLabelValuePair":[]}',
    },
    { name: 'exemplars: none stored', url: '/api/v1/query_exemplars?query=up&start=1700000000&end=1700000060', data: '[]' },
    { name: 'exemplars posted as a form', method: 'POST', url: '/api/v1/query_exemplars', payload: 'query=up', data: '[]' },
    { name: 'rules: none until alerting lands', url: '/api/v1/rules?type=alert', data: '{"groups":[]}' },
    { name: 'alerts', url: '/api/v1/alerts', data: '{"alerts":[]}' },
    { name: 'targets: Vigil scrapes nothing', url: '/api/v1/targets', data: '{"activeTargets":[],"droppedTargets":[]}' },
    { name: 'targets metadata', url: '/api/v1/targets/metadata', data: '[]' },
    { name: 'alertmanagers', url: '/api/v1/alertmanagers', data: '{"activeAlertmanagers":[],"droppedAlertmanagers":[]}' },
    {
      name: 'flags under Prometheus\' names',
      url: '/api/v1/status/flags',
      data: '{"query.lookback-delta":"5m","query.max-samples":"50000000","query.timeout":"2m","storage.tsdb.retention.time":"2w1d"}',
    },
    { name: 'config: Prometheus\' global defaults', url: '/api/v1/status/config', data: '{"yaml":"global:\\n  scrape_interval: 1m\\n  scrape_timeout: 10s\\n  evaluation_interval: 1m\\n"}' },
  ];

  it.each(ok)('$name', async ({ method, url, payload, headers, data }) => {
    const res = await app.inject({ method: method ?? 'GET', url, headers: { ...headers, ...(payload === undefined ? {} : form) }, ...(payload === undefined ? {} : { payload }) });
    expect(res.body).toBe(`{"status":"success","data":${data}}`);
    expect(res.statusCode).toBe(200);
  });

  it('runtimeinfo has Prometheus\' fields', async () => {
    const res = await app.inject({ url: '/api/v1/status/runtimeinfo' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'success',
      data: { startTime: new Date(NOW).toISOString(), reloadConfigSuccess: true, corruptionCount: 0, storageRetention: '2w1d', GOMAXPROCS: expect.any(Number) as number },
    });
  });

  const bad: { url: string; error: string }[] = [
    { url: '/api/v1/format_query?query=up{', error: 'invalid parameter "query": ' },
    { url: '/api/v1/format_query', error: 'invalid parameter "query": ' },
    { url: '/api/v1/query_exemplars?query=up)', error: 'invalid parameter "query": ' },
    { url: '/api/v1/query_exemplars?query=up&start=10&end=5', error: 'invalid parameter "end": end timestamp must not be before start timestamp' },
    { url: '/api/v1/rules?type=nope', error: 'invalid parameter "type": not supported value "nope"' },
    { url: '/api/v1/status/tsdb?limit=0', error: 'invalid parameter "limit": "0" is not a positive integer' },
  ];

  it.each(bad)('$url → 400 bad_data', async ({ url, error }) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ errorType: string; error: string }>();
    expect(body.errorType).toBe('bad_data');
    expect(body.error.startsWith(error)).toBe(true);
  });

  it('tsdb status is 503 unavailable over a store that does not report cardinality', async () => {
    const memory = buildStore();
    const bare = await buildApp({ querier: (tenant, minT, maxT) => memory.querier(tenant, minT, maxT) });
    const res = await bare.inject({ url: '/api/v1/status/tsdb' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'error', errorType: 'unavailable', error: 'this store does not report cardinality' });
    await bare.close();
  });
});

describe('Prometheus API: each endpoint answers the methods Prometheus 2.42 registers', () => {
  // web/api/v1/api.go's Register: GET and POST where Prometheus takes form bodies, GET elsewhere.
  const prometheus: Record<string, readonly string[]> = {
    '/query': ['GET', 'POST'],
    '/query_range': ['GET', 'POST'],
    '/query_exemplars': ['GET', 'POST'],
    '/format_query': ['GET', 'POST'],
    '/series': ['GET', 'POST'],
    '/labels': ['GET', 'POST'],
    '/label/:name/values': ['GET'],
    '/metadata': ['GET'],
    '/targets': ['GET'],
    '/targets/metadata': ['GET'],
    '/alertmanagers': ['GET'],
    '/rules': ['GET'],
    '/alerts': ['GET'],
    '/status/buildinfo': ['GET'],
    '/status/config': ['GET'],
    '/status/flags': ['GET'],
    '/status/runtimeinfo': ['GET'],
    '/status/tsdb': ['GET'],
  };

  it('the route table is Prometheus\' list', () => {
    const routes = apiRoutes({ lookbackMs: 1, queryTimeoutMs: 1, maxSamples: 1, startedAt: new Date(0) });
    expect(Object.fromEntries(routes.map((r) => [r.path, [...r.methods]]))).toEqual(prometheus);
  });

  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(buildStore());
  });
  afterAll(async () => {
    await app.close();
  });

  const params: Record<string, string> = {
    '/query': 'query=up',
    '/query_range': 'query=up&start=1700000000&end=1700000060&step=15',
    '/query_exemplars': 'query=up',
    '/format_query': 'query=up',
    '/series': 'match[]=up',
  };
  const calls = Object.entries(prometheus).flatMap(([path, methods]) => methods.map((method) => ({ method: method as 'GET' | 'POST', path })));
  it.each(calls)('$method $path → 200', async ({ method, path }) => {
    const url = `/api/v1${path.replace(':name', 'job')}`;
    const p = params[path] ?? '';
    const res = method === 'GET' ? await app.inject({ url: p === '' ? url : `${url}?${p}` }) : await app.inject({ method, url, headers: form, payload: p });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'success' });
  });
});
