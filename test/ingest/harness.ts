import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createLogger, limitsSchema } from '../../core/index.js';
import type { Limits } from '../../core/index.js';
import type { OtlpDecoder } from '../../ingest/index.js';
import { createPushPipeline, otlpReceiver } from '../../ingest/index.js';
import { RecordingProducer } from './recordingProducer.js';

/** "now" in every OTLP test: one minute after the 1700000000 s the data files use. */
export const NOW_MS = 1_700_000_060_000;

export interface Harness {
  readonly app: FastifyInstance;
  readonly producer: RecordingProducer;
  readonly registry: Registry;
}

/**
 * A fastify app with the real receiver and pipeline, publishing into a RecordingProducer;
 * `decoder` is where bodies are decoded (default: in-process).
 */
export async function otlpHarness(limitOverrides: Partial<Limits> = {}, decoder?: OtlpDecoder): Promise<Harness> {
  const limits = limitsSchema.parse(limitOverrides);
  const producer = new RecordingProducer();
  const registry = new Registry();
  const logger = createLogger('silent');
  const pipeline = createPushPipeline({ producer, limits, registry, logger, now: () => NOW_MS });
  const app = Fastify({ logger: false });
  await app.register(otlpReceiver, { pipeline, limits, defaultTenant: 'default', decoder });
  await app.ready();
  return { app, producer, registry };
}
