import type { Bus, OtlpDecoder, PushPipeline, RemoteWriteDecoder } from '../../ingest/index.js';
import { createPushPipeline, DecodePool, importReceiver, inProcessDecoder, inProcessRemoteWriteDecoder, jsonLinesRoutes, lokiPushReceiver, otlpReceiver, plaintextImportRoutes, remoteWriteReceiver } from '../../ingest/index.js';
import { effectiveMaxSampleAgeMs } from '../../core/index.js';
import type { Role } from '../role.js';
import { scoped } from '../auth/routeScope.js';
import { startSocketReceivers } from './socketReceivers.js';

/**
 * Receivers (OTLP/HTTP, Prometheus remote write, pushed Prometheus exposition text, Loki push,
 * JSON lines, Graphite/Wavefront over HTTP, and the socket receivers: syslog, Graphite,
 * Wavefront) and the shared push pipeline that publishes to the bus. With
 * ingest.decodeWorkers > 0, OTLP and remote-write bodies are decoded and prepared on worker threads.
 */
export const ingestRole: Role = {
  name: 'ingest',
  dependsOn: ['bus'],
  async start(ctx) {
    const logger = ctx.logger.child({ component: 'ingest' });
    // Samples older than the retention are refused here, per sample, rather than dropped later.
    const limits = { ...ctx.config.limits, maxSampleAgeMs: effectiveMaxSampleAgeMs(ctx.config) };
    const pipeline: PushPipeline = createPushPipeline({
      producer: ctx.services.get<Bus>('bus').producer(),
      limits,
      registry: ctx.registry,
      logger,
    });
    ctx.services.set('pipeline', pipeline);
    const workers = ctx.config.ingest.decodeWorkers;
    const pool = workers > 0 ? new DecodePool({ workers, registry: ctx.registry, logger }) : undefined;
    pool?.start();
    const decoder: OtlpDecoder = pool ?? inProcessDecoder;
    await ctx.http.register(scoped('ingest', otlpReceiver), { pipeline, limits, defaultTenant: ctx.config.tenant.default, decoder });
    const remoteWriteDecoder: RemoteWriteDecoder = pool ?? inProcessRemoteWriteDecoder;
    await ctx.http.register(scoped('ingest', remoteWriteReceiver), { pipeline, limits, defaultTenant: ctx.config.tenant.default, decoder: remoteWriteDecoder, registry: ctx.registry });
    const http = { pipeline, limits, defaultTenant: ctx.config.tenant.default, registry: ctx.registry };
    await ctx.http.register(scoped('ingest', importReceiver), http);
    await ctx.http.register(scoped('ingest', lokiPushReceiver), http);
    await ctx.http.register(scoped('ingest', jsonLinesRoutes), http);
    await ctx.http.register(scoped('ingest', plaintextImportRoutes), http);
    let sockets;
    try {
      sockets = await startSocketReceivers(ctx, pipeline);
    } catch (err) {
      await pool?.shutdown();
      throw err;
    }
    return {
      stop: async () => {
        // Receivers first: what they already read still goes through the pipeline.
        for (const s of sockets) await s.shutdown();
        await pool?.shutdown();
      },
    };
  },
};
