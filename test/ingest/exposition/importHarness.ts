import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { Limits } from '../../../core/index.js';
import { createLogger, limitsSchema } from '../../../core/index.js';
import { createPushPipeline, importReceiver } from '../../../ingest/index.js';
import { RecordingProducer } from '../recordingProducer.js';

/** "now" of every import test. */
export const NOW_MS = 1_700_000_060_000;

export interface ImportHarness {
  readonly app: FastifyInstance;
  readonly producer: RecordingProducer;
  readonly registry: Registry;
}

/** A fastify app with the real import receiver and pipeline, publishing into a RecordingProducer. */
export async function importHarness(limitOverrides: Partial<Limits> = {}): Promise<ImportHarness> {
  const limits = limitsSchema.parse(limitOverrides);
  const producer = new RecordingProducer();
  const registry = new Registry();
  const pipeline = createPushPipeline({ producer, limits, registry, logger: createLogger('silent'), now: () => NOW_MS });
  const app = Fastify({ logger: false });
  await app.register(importReceiver, { pipeline, limits, defaultTenant: 'default', registry, now: () => NOW_MS });
  await app.ready();
  return { app, producer, registry };
}
