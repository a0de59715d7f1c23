import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { DuckDbStoreOptions } from '../../storage/duckdb/index.js';

export const HEAVY_TENANT = 't';
/** Start of the one day partition everything lives in. */
export const HEAVY_T0 = Date.UTC(2026, 0, 1);
export const DAY_MS = 24 * 3600 * 1000;

export interface HeavySize {
  /** `dense` series (1000 of them) sharing this many samples. */
  readonly denseSamples: number;
}

/**
 * A store whose tables hold enough data for reads that take seconds, made in about a second:
 * the store writes one series (creating the tenant and the day's partition), then plain SQL on
 * the closed file fills the store's own tables, and the store is opened again on it.
 */
export async function heavyStore(dir: string, size: HeavySize, options: Partial<DuckDbStoreOptions> = {}): Promise<{ store: DuckDbStore; registry: Registry }> {
  const path = join(dir, 'vigil.duckdb');
  const logger = pino({ level: 'silent' });
  const seed = new DuckDbStore({ path, partitionMs: DAY_MS, registry: new Registry(), logger });
  await seed.open();
  const a = seed.appender();
  a.appendSeries(HEAVY_TENANT, { labels: { __name__: 'seed' }, samples: [{ t: HEAVY_T0, v: 1 }] });
  await a.commit();
  await seed.close();

  const instance = await DuckDBInstance.create(path);
  try {
    const conn = await instance.connect();
    const tables = (await conn.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'samples_p%' OR table_name LIKE 'series_in_p%'")).getRows().map((r) => r[0] as string);
    const samples = tables.find((t) => t.startsWith('samples_'));
    const presence = tables.find((t) => t.startsWith('series_in_'));
    if (samples === undefined || presence === undefined) throw new Error(`no partition tables in ${tables.join(', ')}`);
    const tenant = `(SELECT id FROM tenants WHERE name = '${HEAVY_TENANT}')`;
    // Ids 1000..1999 stay clear of the seed series' (a hash).
    await conn.run(`INSERT INTO series SELECT ${tenant}, 1000 + i, 'dense', MAP {'__name__': 'dense', 'i': i::VARCHAR} FROM range(1000) r(i)`);
    await conn.run(`INSERT INTO ${presence} SELECT tenant_id, series_id FROM series WHERE metric = 'dense'`);
    await conn.run(`INSERT INTO ${samples} SELECT ${tenant}, 1000 + i % 1000, ${HEAVY_T0} + i // 1000, 1.0 FROM range(${size.denseSamples}) r(i)`);
    await conn.run('CHECKPOINT');
    conn.disconnectSync();
  } finally {
    instance.closeSync();
  }

  const registry = new Registry();
  const store = new DuckDbStore({ path, partitionMs: DAY_MS, registry, logger, ...options });
  await store.open();
  return { store, registry };
}

/** The value of a counter (summed over its labels) in a registry. */
export async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}
