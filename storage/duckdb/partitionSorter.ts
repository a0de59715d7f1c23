import type { DuckDBConnection } from '@duckdb/node-api';
import type { Partition } from './partitions.js';
import { samplesTableDdl, SORTED_COMMENT } from './schema.js';

/**
 * Rewrites a closed samples partition in (tenant, series, time) order. Samples arrive in time
 * order, all series interleaved; sorted, each series' samples sit together and DuckDB's per-row-
 * group min/max of series_id lets a query for a few series skip nearly all of the partition.
 *
 * Runs inside the caller's transaction: the sorted copy replaces the table under the same name
 * at COMMIT, so a query sees either the old table or the new one, never neither. Samples that
 * arrive later for the window are appended after the sorted rows, which is harmless.
 */
export async function sortPartition(conn: DuckDBConnection, p: Partition): Promise<void> {
  const sorting = `${p.table}_sorting`;
  await conn.run(samplesTableDdl(sorting));
  await conn.run(`INSERT INTO ${sorting} SELECT * FROM ${p.table} ORDER BY tenant_id, series_id, ts`);
  await conn.run(`DROP TABLE ${p.table}`);
  await conn.run(`ALTER TABLE ${sorting} RENAME TO ${p.table}`);
  await conn.run(`COMMENT ON TABLE ${p.table} IS '${SORTED_COMMENT}'`);
}
