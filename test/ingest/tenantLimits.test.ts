import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../core/index.js';
import type { Limits } from '../../core/index.js';
import type { OtlpDecoder } from '../../ingest/index.js';
import { createPushPipeline, DecodePool, inProcessDecoder, otlpReceiver } from '../../ingest/index.js';
import { json, JSON_TYPE } from './badInputCases.js';
import { NOW_MS } from './harness.js';
import { RecordingProducer } from './recordingProducer.js';

/**
 * Per-tenant ingest limits through the real receiver and pipeline: the ingestion rate refuses a
 * whole request with 429 + Retry-After, the active-series limit refuses the samples of new series
 * (partial success) while known series flow, and one tenant's limits never touch another's.
 * The pipeline's clock is driven by the test. Runs with in-process decoding and with a decode
 * worker, because the series ids cross the worker boundary.
 */
const logger = createLogger('silent');
const MIN = 60_000;

interface App {
  readonly app: FastifyInstance;
  readonly producer: RecordingProducer;
  readonly registry: Registry;
  readonly clock: { now: number };
}

async function build(overrides: Partial<Limits>, decoder: OtlpDecoder): Promise<App> {
  const limits = limitsSchema.parse(overrides);
  const producer = new RecordingProducer();
  const registry = new Registry();
  const clock = { now: NOW_MS };
  const pipeline = createPushPipeline({ producer, limits, registry, logger, now: () => clock.now });
  const app = Fastify({ logger: false });
  await app.register(otlpReceiver, { pipeline, limits, defaultTenant: 'default', decoder });
  await app.ready();
  return { app, producer, registry, clock };
}

/** One gauge sample for each series g{s="<id>"}. */
function seriesBody(ids: readonly number[]): Buffer {
  const dataPoints = ids.map((id) => ({ timeUnixNano: String(BigInt(NOW_MS) * 1_000_000n), asDouble: id, attributes: [{ key: 's', value: { stringValue: String(id) } }] }));
  return json({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints } }] }] }] });
}

async function push(a: App, tenant: string, ids: readonly number[]): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | undefined; published: string[] }> {
  a.producer.sent.length = 0;
  const res = await a.app.inject({ method: 'POST', url: '/v1/metrics', headers: { ...JSON_TYPE, 'x-scope-orgid': tenant }, payload: seriesBody(ids) });
  const published = a.producer.payloads('metrics').flatMap((p) => p.series.map((s) => `${p.tenant}:${s.labels['s'] ?? ''}`));
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown>, retryAfter: res.headers['retry-after'] as string | undefined, published };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const pool = new DecodePool({ workers: 1, registry: new Registry(), logger });
beforeAll(() => pool.start());
afterAll(async () => pool.shutdown());

describe.each([
  { decoding: 'in-process', decoder: (): OtlpDecoder => inProcessDecoder },
  { decoding: 'decode worker', decoder: (): OtlpDecoder => pool },
])('per-tenant ingest limits ($decoding)', ({ decoder }) => {
  describe('ingestion rate (limits.ingestRate / ingestBurst)', () => {
    let a: App;
    beforeAll(async () => {
      a = await build({ ingestRate: 10, ingestBurst: 10, tenants: { vip: { ingestRate: 0 } } }, decoder());
    });
    afterAll(async () => a.app.close());

    it('refuses the request over the rate with 429, Retry-After and the named limit; other tenants go on', async () => {
      expect((await push(a, 'acme', range(1, 10))).status).toBe(200);

      const over = await push(a, 'acme', [11]);
      expect(over.status).toBe(429);
      expect(over.retryAfter).toBe('1');
      expect(over.body).toEqual({
        code: 8,
        message:
          'ingestion rate limit of 10 samples/s (burst 10) for tenant "acme" exceeded (limits.ingestRate): this request of 1 samples and log lines was refused; retry later or raise the limit',
      });
      expect(over.published).toEqual([]);

      // Another tenant has its own bucket; a tenant with ingestRate 0 has none.
      expect(await push(a, 'other', range(1, 10))).toMatchObject({ status: 200, published: range(1, 10).map((i) => `other:${i}`) });
      expect((await push(a, 'vip', range(1, 50))).status).toBe(200);

      // 100 ms later one token is back.
      a.clock.now += 100;
      expect(await push(a, 'acme', [11])).toMatchObject({ status: 200, published: ['acme:11'] });

      const metrics = await a.registry.metrics();
      expect(metrics).toContain('vigil_ingest_limited_requests_total{tenant="acme",reason="ingest_rate"} 1');
      expect(metrics).toContain('vigil_ingest_limited_records_total{tenant="acme",reason="ingest_rate"} 1');
    });
  });

  describe('active series (limits.maxActiveSeries)', () => {
    let a: App;
    beforeAll(async () => {
      a = await build({ maxActiveSeries: 3, tenants: { vip: { maxActiveSeries: 0 } } }, decoder());
    });
    afterAll(async () => a.app.close());

    it('rejects the samples of new series beyond the limit, names it, and lets known series flow', async () => {
      expect(await push(a, 'acme', [1, 2, 3])).toMatchObject({ status: 200, body: {}, published: ['acme:1', 'acme:2', 'acme:3'] });

      const partial = await push(a, 'acme', [2, 3, 4, 5]);
      expect(partial.status).toBe(200);
      expect(partial.body).toEqual({
        partialSuccess: {
          rejectedDataPoints: '2',
          errorMessage:
            'per-tenant active series limit of 3 exceeded for tenant "acme" (limits.maxActiveSeries): 2 new series rejected, e.g. g{s="4"}; series seen within the last hour still flow; refused by metric: g (2 samples)',
        },
      });
      expect(partial.published).toEqual(['acme:2', 'acme:3']);

      // Only new series: nothing left, 400 naming the limit.
      const none = await push(a, 'acme', [6]);
      expect(none.status).toBe(400);
      expect(none.body['message']).toMatch(/^all 1 records rejected: per-tenant active series limit of 3 exceeded for tenant "acme" \(limits\.maxActiveSeries\)/);

      // Other tenants count their own series; a tenant with maxActiveSeries 0 is unlimited.
      expect(await push(a, 'other', [4, 5, 6])).toMatchObject({ status: 200, body: {} });
      expect(await push(a, 'vip', range(1, 20))).toMatchObject({ status: 200, body: {} });

      const metrics = await a.registry.metrics();
      expect(metrics).toContain('vigil_ingest_rejected_total{kind="samples",reason="per_tenant_active_series"} 2');
      expect(metrics).toContain('vigil_ingest_limited_records_total{tenant="acme",reason="per_tenant_active_series"} 3');
      expect(metrics).toContain('vigil_ingest_active_series{tenant="acme"} 3');
    });

    it('frees the place of a series not seen for an hour', async () => {
      a.clock.now += 61 * MIN;
      expect(await push(a, 'acme', [1, 7])).toMatchObject({ status: 200, body: {}, published: ['acme:1', 'acme:7'] });
      // 1 and 7 are active now, and one place is left.
      expect(await push(a, 'acme', [8, 9])).toMatchObject({ status: 200, published: ['acme:8'] });
      a.clock.now -= 61 * MIN;
    });
  });
});

describe('limiter state of idle tenants', () => {
  it('is forgotten after a whole window without writes, so made-up tenant ids cannot grow memory', async () => {
    const a = await build({ maxActiveSeries: 100 }, inProcessDecoder);
    try {
      const tenantsHeld = async (): Promise<number> => ((await a.registry.getSingleMetricAsString('vigil_ingest_active_series')).match(/^vigil_ingest_active_series\{/gm) ?? []).length;
      for (let i = 0; i < 50; i++) expect((await push(a, `made-up-${i}`, [1])).status).toBe(200);
      expect(await tenantsHeld()).toBe(50);
      a.clock.now += 30 * MIN;
      expect((await push(a, 'made-up-0', [2])).status).toBe(200);
      expect(await tenantsHeld()).toBe(50); // within the window: every tenant's series still count
      a.clock.now += 60 * MIN;
      expect((await push(a, 'fresh', [1])).status).toBe(200);
      expect(await tenantsHeld()).toBe(2); // made-up-0 wrote 60 minutes ago: kept; the other 49, idle for 90, forgotten
    } finally {
      await a.app.close();
    }
  });
});
