import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../core/index.js';
import { createPushPipeline, otlpReceiver } from '../../ingest/index.js';
import { NOW_MS } from './harness.js';
import { RecordingProducer } from './recordingProducer.js';

/**
 * The tenant an OTLP push is written under: the request identity's (set by the platform's auth
 * hook from a tenant-bound token), else X-Scope-OrgID, else the default. A header never moves a
 * push into another tenant when the identity names one.
 */
describe('OTLP receiver: the tenant of a push', () => {
  const producer = new RecordingProducer();
  let app: FastifyInstance;

  beforeAll(async () => {
    const limits = limitsSchema.parse({});
    const pipeline = createPushPipeline({ producer, limits, registry: new Registry(), logger: createLogger('silent'), now: () => NOW_MS });
    app = Fastify({ logger: false });
    // Stands in for the platform's auth hook: a token bound to a tenant sets request.identity.
    app.addHook('onRequest', async (req) => {
      const bound = req.headers['x-test-token-tenant'];
      if (typeof bound === 'string') req.identity = { tenant: bound, principal: null };
    });
    await app.register(otlpReceiver, { pipeline, limits, defaultTenant: 'default' });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const gauge = JSON.stringify({
    resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: String(BigInt(NOW_MS) * 1_000_000n), asDouble: 1 }] } }] }] }],
  });
  const logs = JSON.stringify({
    resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(NOW_MS) * 1_000_000n), body: { stringValue: 'hello' } }] }] }],
  });

  const cases: Array<{ name: string; headers: Record<string, string>; status: number; tenant?: string; error?: string }> = [
    { name: 'the identity\'s tenant', headers: { 'x-test-token-tenant': 'team-a' }, status: 200, tenant: 'team-a' },
    { name: 'the identity\'s tenant, whatever X-Scope-OrgID says', headers: { 'x-test-token-tenant': 'team-a', 'x-scope-orgid': 'team-b' }, status: 200, tenant: 'team-a' },
    { name: 'without an identity, X-Scope-OrgID', headers: { 'x-scope-orgid': 'team-b' }, status: 200, tenant: 'team-b' },
    { name: 'without either, the default tenant', headers: {}, status: 200, tenant: 'default' },
    { name: 'an invalid X-Scope-OrgID is refused', headers: { 'x-scope-orgid': '../x' }, status: 400, error: 'invalid X-Scope-OrgID "../x"' },
    { name: '"*" (every tenant) is not a tenant', headers: { 'x-scope-orgid': '*' }, status: 400, error: 'invalid X-Scope-OrgID "*"' },
  ];
  const signals = [
    ['/v1/metrics', gauge, 'vigil.metrics'],
    ['/v1/logs', logs, 'vigil.logs'],
  ] as const;
  const table = signals.flatMap(([url, payload, topic]) => cases.map((c) => ({ ...c, url, payload, topic })));

  it.each(table)('$url: $name', async ({ url, payload, topic, headers, status, tenant, error }) => {
    producer.sent.length = 0;
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload });
    expect(res.statusCode, res.body).toBe(status);
    if (tenant !== undefined) expect(producer.sent.map((s) => [s.topic, s.key, s.payload.tenant])).toEqual([[topic, tenant, tenant]]);
    if (error !== undefined) {
      expect((res.json() as { message: string }).message).toContain(error);
      expect(producer.sent).toEqual([]);
    }
  });
});
