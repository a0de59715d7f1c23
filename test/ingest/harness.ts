import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createLogger, limitsSchema } from '../../core/index.js';
import type { Limits } from '../../core/index.js';
import type { OtlpDecoder, PushPipeline } from '../../ingest/index.js';
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
 * A fastify app with the real pipeline, publishing into a RecordingProducer, and the receiver
 * `register` puts on the app in front of it.
 */
export async function receiverHarness(
  limitOverrides: Partial<Limits>,
  register: (app: FastifyInstance, pipeline: PushPipeline, limits: Limits, registry: Registry) => PromiseLike<unknown>,
): Promise<Harness> {
  const limits = limitsSchema.parse(limitOverrides);
  const producer = new RecordingProducer();
  const registry = new Registry();
  const pipeline = createPushPipeline({ producer, limits, registry, logger: createLogger('silent'), now: () => NOW_MS });
  const app = Fastify({ logger: false });
  await register(app, pipeline, limits, registry);
  await app.ready();
  return { app, producer, registry };
}

/**
 * A fastify app with the real OTLP receiver and pipeline, publishing into a RecordingProducer;
 * `decoder` is where bodies are decoded (default: in-process).
 */
export function otlpHarness(limitOverrides: Partial<Limits> = {}, decoder?: OtlpDecoder): Promise<Harness> {
  return receiverHarness(limitOverrides, (app, pipeline, limits) => app.register(otlpReceiver, { pipeline, limits, defaultTenant: 'default', decoder }));
}
