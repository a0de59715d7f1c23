import type { Bus } from '../../ingest/index.js';
import { StoreWriter } from '../../ingest/index.js';
import type { Store } from '../../storage/index.js';
import type { Role } from '../role.js';

/** Consumes the bus into the store; ready once consuming. */
export const writerRole: Role = {
  name: 'writer',
  dependsOn: ['bus', 'store'],
  async start(ctx) {
    const writer = new StoreWriter({
      bus: ctx.services.get<Bus>('bus'),
      store: ctx.services.get<Store>('store'),
      maxBatchRecords: ctx.config.writer.maxBatchRecords,
      maxWaitMs: ctx.config.writer.maxBatchWaitMs,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'writer' }),
    });
    await writer.start();
    return { ready: () => writer.isRunning(), stop: () => writer.shutdown() };
  },
};
