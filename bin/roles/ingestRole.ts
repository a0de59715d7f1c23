import type { Bus, PushPipeline } from '../../ingest/index.js';
import { createPushPipeline, otlpReceiver } from '../../ingest/index.js';
import type { Role } from '../role.js';

/** Receivers (OTLP/HTTP today) and the shared push pipeline that publishes to the bus. */
export const ingestRole: Role = {
  name: 'ingest',
  dependsOn: ['bus'],
  async start(ctx) {
    const pipeline: PushPipeline = createPushPipeline({
      producer: ctx.services.get<Bus>('bus').producer(),
      limits: ctx.config.limits,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'ingest' }),
    });
    ctx.services.set('pipeline', pipeline);
    await ctx.http.register(otlpReceiver, { pipeline, limits: ctx.config.limits, defaultTenant: ctx.config.tenant.default });
    return { stop: async () => undefined };
  },
};
