import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../storage/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { Role } from '../role.js';

/** The store: DuckDB in <dataDir>/vigil.duckdb, with retention applied hourly. */
export const storeRole: Role = {
  name: 'store',
  dependsOn: [],
  async start(ctx) {
    const cfg = ctx.config.store;
    if (cfg.kind !== 'duckdb') throw new Error(`store.kind "${cfg.kind}" is not available yet: use "duckdb"`);
    mkdirSync(ctx.config.dataDir, { recursive: true });
    const store: Store = new DuckDbStore({
      path: join(ctx.config.dataDir, 'vigil.duckdb'),
      partitionMs: cfg.partitionMs,
      memoryLimit: cfg.memoryLimit,
      retentionMs: cfg.retentionMs,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'store' }),
    });
    await store.open();
    ctx.services.set('store', store);
    const log = ctx.logger.child({ component: 'retention' });
    let running = false;
    const applyRetention = async (): Promise<void> => {
      if (running) return; // never overlap
      running = true;
      try {
        const dropped = await store.applyRetention(Date.now() - cfg.retentionMs);
        if (dropped > 0) log.info({ dropped }, 'retention dropped partitions');
      } catch (err) {
        log.error({ err }, 'retention failed; will retry next hour');
      } finally {
        running = false;
      }
    };
    await applyRetention();
    const timer = setInterval(() => void applyRetention(), 3600_000);
    timer.unref();
    return {
      ready: () => store.isOpen(),
      stop: async () => {
        clearInterval(timer);
        await store.close();
      },
    };
  },
};
