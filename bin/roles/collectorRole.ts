import { createHostCollector } from '../../collectors/index.js';
import type { PushPipeline } from '../../ingest/index.js';
import type { Role } from '../role.js';

/**
 * Watches this machine from the first start: host metrics every collectors.host.intervalMs,
 * pushed through the same pipeline as any external sender (so limits and metrics apply).
 */
export const collectorRole: Role = {
  name: 'collector',
  dependsOn: ['ingest'],
  async start(ctx) {
    const pipeline = ctx.services.get<PushPipeline>('pipeline');
    const cfg = ctx.config.collectors.host;
    if (!cfg.enabled) return { stop: async () => undefined };
    const collector = createHostCollector({
      sink: (req) => pipeline.push(req),
      intervalMs: cfg.intervalMs,
      tenant: ctx.config.tenant.default,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'host-collector' }),
    });
    collector.start();
    return { stop: () => collector.shutdown() };
  },
};
