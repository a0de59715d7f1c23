import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricMetadata, TimeSeries } from '../../core/index.js';
import { createLogger, STALE_NAN } from '../../core/index.js';
import type { QueryableStore } from '../../query/index.js';
import { prometheusApi } from '../../query/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { MemoryStore } from './memoryStore.js';

/**
 * The API over the real embedded store: the same data written to DuckDB and to the in-memory
 * double must give byte-identical answers, so the double the other tests use is honest and the
 * DuckDB querier keeps the Store contract the query path relies on.
 */
const T0 = 1_700_000_000_000;
const series: TimeSeries[] = [
  { labels: { __name__: 'up', job: 'api', instance: 'a' }, samples: [0, 15, 30, 45, 60].map((s, i) => ({ t: T0 + s * 1000, v: i % 2 })) },
  { labels: { __name__: 'up', job: 'db', instance: 'b' }, samples: [{ t: T0, v: 1 }, { t: T0 + 15_000, v: STALE_NAN }, { t: T0 + 45_000, v: 1 }] },
  { labels: { __name__: 'odd', kind: 'values' }, samples: [NaN, Infinity, -Infinity, 1e-7, -0.5].map((v, i) => ({ t: T0 + i, v })) },
  { labels: { __name__: 'http_requests_total', code: '500', path: '/x' }, samples: [{ t: T0 + 1234, v: 17 }] },
];
const metadata: MetricMetadata[] = [{ metricFamilyName: 'up', type: 'gauge', help: 'Up.', unit: '' }];

const requests = [
  '/api/v1/query?query=up&time=1700000030',
  '/api/v1/query?query=up&time=1700000020',
  '/api/v1/query?query=up&time=1700000050.5',
  '/api/v1/query?query={__name__=~"up|odd"}&time=1700000000.004',
  '/api/v1/query?query=odd[1s]&time=1700000000.004',
  '/api/v1/query?query=up{instance!="a"}[1m]&time=1700000060',
  '/api/v1/query?query=http_requests_total{code=~"5.."}&time=1700000100',
  '/api/v1/query_range?query=up&start=1700000000&end=1700000400&step=15s',
  '/api/v1/query_range?query=up{job=~"d.*"}&start=1699999990&end=1700000060&step=7',
  '/api/v1/series?match[]=up&match[]={kind="values"}',
  '/api/v1/series?match[]=up&start=1700000046&end=1700000100',
  '/api/v1/labels',
  '/api/v1/labels?match[]=http_requests_total',
  '/api/v1/label/job/values',
  '/api/v1/label/__name__/values?start=1700000001&end=1700000002',
  '/api/v1/metadata',
  '/api/v1/status/tsdb',
  '/api/v1/status/tsdb?limit=2',
];

async function app(store: QueryableStore): Promise<FastifyInstance> {
  const a = Fastify();
  await a.register(prometheusApi, { store, registry: new Registry(), logger: createLogger('silent') });
  await a.ready();
  return a;
}

describe('Prometheus API over DuckDB', () => {
  let duck: DuckDbStore;
  let overDuck: FastifyInstance;
  let overMemory: FastifyInstance;
  beforeAll(async () => {
    duck = new DuckDbStore({ path: ':memory:', registry: new Registry(), logger: createLogger('silent') });
    await duck.open();
    const appender = duck.appender();
    for (const s of series) appender.appendSeries('default', s);
    for (const m of metadata) appender.appendMetadata('default', m);
    // Only in DuckDB, under another tenant: equal answers show the store keeps it out (tsdb status included).
    appender.appendSeries('other', { labels: { __name__: 'up', job: 'other', instance: 'z' }, samples: [{ t: T0 - 1, v: 5 }] });
    await appender.commit();
    const memory = new MemoryStore().add('default', ...series).addMetadata('default', ...metadata);
    overDuck = await app(duck);
    overMemory = await app(memory);
  });
  afterAll(async () => {
    await overDuck.close();
    await overMemory.close();
    await duck.close();
  });

  it.each(requests)('%s', async (url) => {
    const [fromDuck, fromMemory] = await Promise.all([overDuck.inject({ url }), overMemory.inject({ url })]);
    expect(fromDuck.statusCode).toBe(200);
    expect(fromDuck.body).toBe(fromMemory.body);
    expect(fromDuck.json()).toMatchObject({ status: 'success' });
  });

  it('keeps the staleness marker through DuckDB', async () => {
    const res = await overDuck.inject({ url: '/api/v1/query?query=up{job="db"}&time=1700000030' });
    expect(res.body).toBe('{"status":"success","data":{"resultType":"vector","result":[]}}');
  });
});
