import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createLogger, limitsSchema } from '../../core/index.js';
import type { Limits } from '../../core/index.js';
import type { RemoteWriteDecoder } from '../../ingest/index.js';
import { createPushPipeline, remoteWriteReceiver } from '../../ingest/index.js';
import { NOW_MS } from './harness.js';
import { RecordingProducer } from './recordingProducer.js';

export interface RemoteWriteHarness {
  readonly app: FastifyInstance;
  readonly producer: RecordingProducer;
  readonly registry: Registry;
}

/** A fastify app with the real remote-write receiver and pipeline, publishing into a RecordingProducer. */
export async function remoteWriteHarness(limitOverrides: Partial<Limits> = {}, decoder?: RemoteWriteDecoder): Promise<RemoteWriteHarness> {
  const limits = limitsSchema.parse(limitOverrides);
  const producer = new RecordingProducer();
  const registry = new Registry();
  const pipeline = createPushPipeline({ producer, limits, registry, logger: createLogger('silent'), now: () => NOW_MS });
  const app = Fastify({ logger: false });
  await app.register(remoteWriteReceiver, { pipeline, limits, defaultTenant: 'default', decoder, registry });
  await app.ready();
  return { app, producer, registry };
}
