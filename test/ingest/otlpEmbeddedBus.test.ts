import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../core/index.js';
import type { BusPayload } from '../../ingest/index.js';
import { createPushPipeline, decodePayload, encodeOtlpMetricsProtobuf, otlpReceiver, TOPICS } from '../../ingest/index.js';
import { EmbeddedBus } from '../../ingest/bus/embedded/index.js';

/**
 * The receiver and pipeline on the real embedded bus: once the HTTP answer is 200 the records
 * are on disk, and a fresh bus opened on the same directory delivers them.
 */
describe('OTLP → push pipeline → embedded bus', () => {
  it('an acknowledged request survives reopening the bus', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-otlp-bus-'));
    const logger = createLogger('silent');
    const limits = limitsSchema.parse({});
    const now = Date.now();
    try {
      const bus = new EmbeddedBus({ dir, registry: new Registry(), logger });
      await bus.start();
      const app = Fastify({ logger: false });
      const pipeline = createPushPipeline({ producer: bus.producer(), limits, registry: new Registry(), logger });
      await app.register(otlpReceiver, { pipeline, limits, defaultTenant: 'default' });
      const body = encodeOtlpMetricsProtobuf({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
            scopeMetrics: [{ metrics: [{ name: 'up', gauge: { dataPoints: [{ timeUnixNano: `${now}000000`, asInt: '1' }] } }] }],
          },
        ],
      });
      const res = await app.inject({ method: 'POST', url: '/v1/metrics', headers: { 'content-type': 'application/x-protobuf', 'x-scope-orgid': 'acme' }, payload: Buffer.from(body) });
      expect(res.statusCode, res.body).toBe(200);
      await app.close();
      await bus.shutdown();

      const reopened = new EmbeddedBus({ dir, registry: new Registry(), logger });
      await reopened.start();
      const received: BusPayload[] = [];
      const consumer = reopened.consumer({ group: 'test', topics: [TOPICS.metrics], maxBatchRecords: 10, maxWaitMs: 5 });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no record delivered within 5 s')), 5000);
        consumer
          .run(async (batch) => {
            for (const r of batch.records) {
              expect(r.key).toBe('acme');
              received.push(decodePayload(r.value));
            }
            clearTimeout(timer);
            resolve();
          })
          .catch(reject);
      });
      await consumer.stop();
      await reopened.shutdown();
      expect(received).toEqual([
        { kind: 'metrics', tenant: 'acme', series: [{ labels: { __name__: 'up', job: 'api' }, samples: [{ t: now, v: 1 }] }], metadata: [{ metricFamilyName: 'up', type: 'gauge', unit: '', help: '' }] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
