/*
 * Where a bench run's data lives and how Vigil's store over it is opened: shared by the bench
 * (run.ts) and its memory probe (rssProbe.ts), which must read the data exactly as the bench does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '../../core/index.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore, samplesTableDdl, SORTED_COMMENT } from '../../storage/duckdb/index.js';
import type { Scale } from './data.js';

export const TENANT = 'default';
/** The query role's store settings (core/config.ts defaults), so the in-process engine reads as the server does. */
const STORE_MEMORY_LIMIT = '64MB';
const PARTITION_MS = 24 * 3600_000;
export const LOOKBACK_MS = 5 * 60_000;

export function openStore(dir: string): DuckDbStore {
  return new DuckDbStore({ path: join(dir, 'vigil.duckdb'), partitionMs: PARTITION_MS, memoryLimit: STORE_MEMORY_LIMIT, registry: new Registry(), logger: createLogger('silent') });
}

/** What the data dir was generated with: its scale and the end of its data. */
export interface Meta {
  readonly scale: Scale;
  readonly endMs: number;
  /** 'arrival' once the unsorted partitions are in the order live ingest leaves them (see putInArrivalOrder). */
  readonly layout?: 'arrival';
}

/**
 * The loader appends each series' whole history at once, batch after batch; live ingest appends
 * every series' sample of one scrape, scrape after scrape, so the current day's partition is in
 * time order (the store sorts a day by series only once it is over: partitionSorter.ts). This
 * rewrites the partitions not yet sorted by series in (time, series) order, so that queries read
 * the layout a running server would have.
 */
export async function putInArrivalOrder(dir: string): Promise<void> {
  const db = await DuckDBInstance.create(join(dir, 'vigil.duckdb'));
  const conn = await db.connect();
  try {
    const rows = await conn.runAndReadAll("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main' AND starts_with(table_name, 'samples_p')");
    for (const [table, comment] of rows.getRows()) {
      if (comment === SORTED_COMMENT) continue;
      const name = String(table);
      await conn.run('BEGIN');
      await conn.run(samplesTableDdl(`${name}_arrival`));
      await conn.run(`INSERT INTO ${name}_arrival SELECT * FROM ${name} ORDER BY ts, series_id`);
      await conn.run(`DROP TABLE ${name}`);
      await conn.run(`ALTER TABLE ${name}_arrival RENAME TO ${name}`);
      await conn.run('COMMIT');
    }
    await conn.run('CHECKPOINT');
  } finally {
    conn.disconnectSync();
    db.closeSync();
  }
}

export const metaPath = (dir: string): string => join(dir, 'meta.json');

export function readMeta(dir: string): Meta {
  return JSON.parse(readFileSync(metaPath(dir), 'utf8')) as Meta;
}
