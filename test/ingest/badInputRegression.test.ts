import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../bin/index.js';
import { createLogger } from '../../core/index.js';
import { encodeOtlpMetricsProtobuf } from '../../ingest/index.js';
import { otlpTypes } from '../../ingest/otlp/index.js';
import { directorApi, directorApiPrefix } from '../../lifecycle/index.js';
import { prometheusApi } from '../../query/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { MemoryStore } from '../query/memoryStore.js';
import { gaugeRequest, json, JSON_TYPE, PROTO_TYPE, T } from './badInputCases.js';
import type { Harness } from './harness.js';
import { NOW_MS, otlpHarness } from './harness.js';
import { kvlistChain, LOGS_TO_BODY, METRICS_TO_ATTRIBUTE_VALUE, nested } from './protobufBytes.js';
import { partitionTables } from '../support/index.js';

/**
 * Issue #9's regressions: deeply nested bodies get a 400 naming where (not a 500 from a stack
 * overflow), a 1 MB bad body gets an answer under 1 KB, and a year-old sample is refused,
 * counted, and leaves no partition behind.
 */
const MB = 1 << 20;
const DAY = 24 * 3600_000;

let h: Harness;
let root: FastifyInstance;
beforeAll(async () => {
  h = await otlpHarness();
  const logger = createLogger('silent');
  root = createHttpServer({ logger, registry: new Registry(), bodyLimit: 16 * MB, ready: () => true, auth: { enabled: false, defaultTenant: 'default', verifiers: () => [], publicMetrics: false } });
  root.post('/echo', async (req) => ({ type: typeof req.body }));
  // The director is never reached: every body here fails before a route uses it (refusals are audited).
  await root.register(directorApi, { prefix: directorApiPrefix, director: { audit: () => undefined } as never });
  await root.register(prometheusApi, { store: new MemoryStore(), registry: new Registry(), logger });
  await root.ready();
});
afterAll(async () => {
  await h.app.close();
  await root.close();
});

/** OTLP JSON whose one attribute value nests `levels` kvlists. */
function deepKvlistJson(levels: number): string {
  let value = '{"stringValue":"x"}';
  for (let i = 0; i < levels; i++) value = `{"kvlistValue":{"values":[{"key":"k","value":${value}}]}}`;
  return JSON.stringify(gaugeRequest([{ timeUnixNano: T, asDouble: 1, attributes: [{ key: 'a', value: { stringValue: '@' } }] }])).replace('{"stringValue":"@"}', value);
}

const stringValue = Buffer.from([0x0a, 0x01, 0x78]); // AnyValue.string_value = "x"

describe('deeply nested bodies: 400 with where, never 500', () => {
  it.each([
    { name: 'OTLP JSON, kvlists 5000 deep', app: () => h.app, url: '/v1/metrics', headers: JSON_TYPE, payload: () => deepKvlistJson(5000), message: 'body: nesting deeper than 64 levels at $.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].attributes[0].value.kvlistValue.values[0]' },
    { name: 'OTLP JSON, 200k nested arrays', app: () => h.app, url: '/v1/logs', headers: JSON_TYPE, payload: () => '['.repeat(200_000) + ']'.repeat(200_000), message: 'body: nesting deeper than 64 levels at $[0][0]' },
    { name: 'OTLP protobuf, kvlists 100k deep', app: () => h.app, url: '/v1/metrics', headers: PROTO_TYPE, payload: () => nested([...METRICS_TO_ATTRIBUTE_VALUE, ...kvlistChain(100_000)], stringValue), message: 'malformed protobuf ExportMetricsServiceRequest: AnyValue nesting deeper than 32 levels' },
    { name: 'OTLP protobuf, a log body 40 kvlists deep', app: () => h.app, url: '/v1/logs', headers: PROTO_TYPE, payload: () => nested([...LOGS_TO_BODY, ...kvlistChain(40)], stringValue), message: 'AnyValue nesting deeper than 32 levels' },
    { name: 'OTLP protobuf, 1 MB of nested unknown groups', app: () => h.app, url: '/v1/metrics', headers: PROTO_TYPE, payload: () => Buffer.alloc(MB, 0x0b), message: 'malformed protobuf ExportMetricsServiceRequest' },
    { name: 'any JSON route of the platform', app: () => root, url: '/echo', headers: JSON_TYPE, payload: () => `{"a":${'['.repeat(100_000)}`, message: 'body: nesting deeper than 64 levels at $.a[0]' },
    { name: "the director's API", app: () => root, url: `${directorApiPrefix}/deployments`, headers: JSON_TYPE, payload: () => `{"manifest":${'{"a":'.repeat(100_000)}1`, message: 'body: nesting deeper than 64 levels at $.manifest.a.a' },
  ])('$name', async (c) => {
    const res = await c.app().inject({ method: 'POST', url: c.url, headers: c.headers, payload: c.payload() });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.rawPayload.length).toBeLessThan(1024);
    const text = c.headers === PROTO_TYPE ? (otlpTypes.status.decode(res.rawPayload) as unknown as { message: string }).message : res.body;
    expect(text).toContain(c.message);
  });

  it('still accepts kvlists nested a few levels deep', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload: deepKvlistJson(8) });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('keeps refusing prototype poisoning, as fastify did', async () => {
    const res = await root.inject({ method: 'POST', url: '/echo', headers: JSON_TYPE, payload: '{"__proto__":{"x":1}}' });
    expect(res.statusCode).toBe(400);
    expect((JSON.parse(res.body) as { error: string }).error).toBe('body: forbidden key "__proto__" at $.__proto__');
  });
});

const junk = (n: number): Buffer => {
  const b = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) b[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return b;
};

describe('a 1 MB bad body gets an error under 1 KB', () => {
  const big = 'x'.repeat(MB);
  it.each([
    { name: 'OTLP: bad JSON', app: () => h.app, url: '/v1/metrics', headers: JSON_TYPE, payload: () => `{"resourceMetrics":${big}`, status: 400 },
    { name: 'OTLP: a string where an array belongs', app: () => h.app, url: '/v1/metrics', headers: JSON_TYPE, payload: () => json({ resourceMetrics: big }), status: 400 },
    { name: 'OTLP: a 1 MB label value', app: () => h.app, url: '/v1/metrics', headers: JSON_TYPE, payload: () => json(gaugeRequest([{ timeUnixNano: T, asDouble: 1, attributes: [{ key: 'a', value: { stringValue: big } }] }])), status: 400 },
    { name: 'OTLP: a 1 MB label name', app: () => h.app, url: '/v1/metrics', headers: JSON_TYPE, payload: () => json(gaugeRequest([{ timeUnixNano: T, asDouble: 1, attributes: [{ key: big, value: { stringValue: 'v' } }] }])), status: 400 },
    { name: 'OTLP: a sample too old with 120 KB of labels', app: () => h.app, url: '/v1/metrics', headers: JSON_TYPE, payload: () => json(gaugeRequest([{ timeUnixNano: '1000', asDouble: 1, attributes: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: { stringValue: 'v'.repeat(4000) } })) }])), status: 400 },
    { name: 'OTLP: a 1 MB metric name', app: () => h.app, url: '/v1/metrics', headers: JSON_TYPE, payload: () => json({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: big, sum: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: T, asDouble: 1 }] } }] }] }] }), status: 400 },
    { name: 'OTLP: 1 MB of garbage protobuf', app: () => h.app, url: '/v1/metrics', headers: PROTO_TYPE, payload: () => junk(MB), status: 400 },
    { name: 'OTLP: a 1 MB content type', app: () => h.app, url: '/v1/metrics', headers: { 'content-type': `text/${'x'.repeat(60_000)}` }, payload: () => 'x', status: 415 },
    { name: 'root: bad JSON', app: () => root, url: '/echo', headers: JSON_TYPE, payload: () => `{"a":${big}`, status: 400 },
    { name: 'director: a 1 MB string where an enum belongs', app: () => root, url: `${directorApiPrefix}/deployments/x/instances/actions`, headers: JSON_TYPE, payload: () => json({ action: big }), status: 400 },
    { name: 'director: 1 MB of bad JSON', app: () => root, url: `${directorApiPrefix}/deployments`, headers: JSON_TYPE, payload: () => `{"manifest":"${big}`, status: 400 },
    { name: 'Prometheus API: a 900 KB bad query', app: () => root, url: '/api/v1/query', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: () => `query=${'sum(' + 'x'.repeat(900_000) + ' $'}`, status: 400 },
    { name: 'Prometheus API: a 900 KB bad time', app: () => root, url: '/api/v1/query', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: () => `query=up&time=${'x'.repeat(900_000)}`, status: 400 },
  ])('$name → $status, < 1 KB', async (c) => {
    const res = await c.app().inject({ method: 'POST', url: c.url, headers: c.headers, payload: c.payload() });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(c.status);
    expect(res.rawPayload.length, res.body.slice(0, 2000)).toBeLessThan(1024);
  });
});


describe('a year-old sample', () => {
  it('is refused per sample (partial success naming the reason and the series), counted, and creates no partition', async () => {
    h.producer.sent.length = 0;
    const tooOld = async (): Promise<number> => Number(/reason="too_old"\} (\d+)/.exec((await h.registry.getSingleMetricAsString('vigil_ingest_rejected_total')) ?? '')?.[1] ?? 0);
    const before = await tooOld();
    const yearAgoNs = `${NOW_MS - 365 * DAY}000000`;
    const body = encodeOtlpMetricsProtobuf(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }, { timeUnixNano: yearAgoNs, asDouble: 2, attributes: [{ key: 'old', value: { stringValue: 'yes' } }] }]));
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: PROTO_TYPE, payload: Buffer.from(body) });
    expect(res.statusCode).toBe(200);
    const answer = otlpTypes.metricsResponse.toObject(otlpTypes.metricsResponse.decode(res.rawPayload), { longs: Number }) as { partialSuccess: { rejectedDataPoints: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedDataPoints).toBe(1);
    expect(answer.partialSuccess.errorMessage).toMatch(/^g\{old="yes"\}: timestamp .* is older than the accepted age of 1296000000 ms \(1 samples rejected: too_old\)$/);
    expect(await tooOld()).toBe(before + 1);

    // What was published, written as the store writer writes it: only the fresh sample's day exists.
    const dir = mkdtempSync(join(tmpdir(), 'vigil-year-old-'));
    try {
      const path = join(dir, 'vigil.duckdb');
      const store = new DuckDbStore({ path, registry: new Registry(), logger: createLogger('silent'), retentionMs: 15 * DAY, now: () => NOW_MS });
      await store.open();
      const appender = store.appender();
      for (const p of h.producer.payloads('metrics')) for (const s of p.series) appender.appendSeries(p.tenant, s);
      await appender.commit();
      await store.close();
      const day = NOW_MS - (NOW_MS % DAY);
      expect(await partitionTables(path)).toEqual([`samples_p${day}_${day + DAY}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
