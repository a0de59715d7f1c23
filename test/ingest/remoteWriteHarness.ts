import type { Limits } from '../../core/index.js';
import type { RemoteWriteDecoder } from '../../ingest/index.js';
import { remoteWriteReceiver } from '../../ingest/index.js';
import type { Harness } from './harness.js';
import { receiverHarness } from './harness.js';

export type RemoteWriteHarness = Harness;

/** A fastify app with the real remote-write receiver and pipeline, publishing into a RecordingProducer. */
export function remoteWriteHarness(limitOverrides: Partial<Limits> = {}, decoder?: RemoteWriteDecoder): Promise<RemoteWriteHarness> {
  return receiverHarness(limitOverrides, (app, pipeline, limits, registry) => app.register(remoteWriteReceiver, { pipeline, limits, defaultTenant: 'default', decoder, registry }));
}
