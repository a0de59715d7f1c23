import type { DuckDBConnection } from '@duckdb/node-api';
import type { PartitionCatalog } from './partitions.js';
import { parsePartitionTable, presenceColumn, presenceTable } from './partitions.js';
import { PresenceCache } from './presenceCache.js';
import { SORTED_COMMENT } from './schema.js';

/**
 * What the store keeps in memory about committed data: tenant ids, the series and stream ids
 * already stored (so a re-sent series is not inserted again), and the partition catalog.
 * Only the writer changes it, after its transaction commits; so it never names uncommitted rows.
 */
export class StoreState {
  readonly tenantIds = new Map<string, number>();
  readonly knownSeries = new Map<number, Set<bigint>>();
  readonly knownStreams = new Map<number, Set<bigint>>();
  /** "tenantId\0metric" → "type\0unit\0help", to skip rewriting unchanged metadata. */
  readonly metadata = new Map<string, string>();
  nextTenantId = 1;
  /** Numbers commits that store offsets; the newest offset row per group and partition wins. */
  nextCommitSeq = 1;

  /** Samples partitions already rewritten in series order (see partitionSorter.ts). */
  readonly sortedPartitions = new Set<string>();
  /** Series/streams listed per recently written partition. */
  readonly presence = new PresenceCache();

  constructor(readonly catalog: PartitionCatalog) {}

  /** (Re)loads everything from the database. */
  async load(conn: DuckDBConnection): Promise<void> {
    this.tenantIds.clear();
    this.knownSeries.clear();
    this.knownStreams.clear();
    this.metadata.clear();
    this.presence.clear();
    const tenants = await conn.runAndReadAll('SELECT id, name FROM tenants');
    for (const [id, name] of tenants.getRows()) this.tenantIds.set(name as string, Number(id));
    this.nextTenantId = Math.max(0, ...this.tenantIds.values()) + 1;
    const seq = await conn.runAndReadAll('SELECT coalesce(max(commit_seq), 0) FROM consumer_offsets');
    this.nextCommitSeq = Number(seq.getRows()[0]?.[0] ?? 0) + 1;
    await this.loadIds(conn, 'SELECT tenant_id, series_id FROM series', this.knownSeries);
    await this.loadIds(conn, 'SELECT tenant_id, stream_id FROM log_streams', this.knownStreams);
    const md = await conn.runAndReadAll('SELECT tenant_id, metric, type, unit, help FROM metric_metadata');
    for (const [t, metric, type, unit, help] of md.getRows()) this.metadata.set(`${String(t)}\u0000${String(metric)}`, `${String(type)}\u0000${String(unit)}\u0000${String(help)}`);
    const tables = await conn.runAndReadAll("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'");
    const names = new Set(tables.getRows().map((r) => r[0] as string));
    this.sortedPartitions.clear();
    for (const [name, comment] of tables.getRows()) if (comment === SORTED_COMMENT) this.sortedPartitions.add(name as string);
    for (const name of names) {
      const p = parsePartitionTable(name);
      if (p === undefined) continue;
      // A partition without its presence table (written before presence tables existed) gets one.
      if (!names.has(presenceTable(p))) {
        const id = presenceColumn(p.kind);
        await conn.run(`CREATE TABLE ${presenceTable(p)} AS SELECT DISTINCT tenant_id, ${id} FROM ${p.table}`);
      }
      this.catalog.add(p);
    }
  }

  private async loadIds(conn: DuckDBConnection, sql: string, into: Map<number, Set<bigint>>): Promise<void> {
    const result = await conn.run(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const tenants = chunk.getColumnVector(0);
      const ids = chunk.getColumnVector(1);
      for (let i = 0; i < chunk.rowCount; i++) idSet(into, tenants.getItem(i) as number).add(ids.getItem(i) as bigint);
    }
  }
}

export function idSet(map: Map<number, Set<bigint>>, tenantId: number): Set<bigint> {
  let set = map.get(tenantId);
  if (set === undefined) {
    set = new Set();
    map.set(tenantId, set);
  }
  return set;
}
