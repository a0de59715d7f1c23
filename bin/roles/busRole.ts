import { join } from 'node:path';
import type { Bus } from '../../ingest/index.js';
import { EmbeddedBus } from '../../ingest/bus/embedded/index.js';
import type { Role } from '../role.js';

/** The bus: embedded segments under <dataDir>/bus (Kafka arrives with the scale-out issue). */
export const busRole: Role = {
  name: 'bus',
  dependsOn: [],
  async start(ctx) {
    const cfg = ctx.config.bus;
    if (cfg.kind !== 'embedded') throw new Error(`bus.kind "${cfg.kind}" is not available yet: use "embedded"`);
    const bus: Bus = new EmbeddedBus({
      dir: join(ctx.config.dataDir, 'bus'),
      segmentBytes: cfg.segmentBytes,
      maxLagBytes: cfg.maxLagBytes,
      groupCommitMs: cfg.groupCommitMs,
      groupRetentionMs: cfg.groupRetentionMs,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'bus' }),
    });
    await bus.start();
    ctx.services.set('bus', bus);
    return { stop: () => bus.shutdown() };
  },
};
