import type { DuckDBConnection } from '@duckdb/node-api';
import type { Partition } from './partitions.js';
import { presenceColumn, presenceTable } from './partitions.js';

type IdsByTenant = Map<number, Set<bigint>>;

/**
 * For the few partitions written to most recently, the ids their presence tables already list,
 * so that a commit appends only series (or streams) new to a partition. Older partitions are
 * forgotten and read back from their presence table if late data arrives for them.
 */
export class PresenceCache {
  /** Map order is recency of use: the first entry is the least recently used. */
  private readonly byTable = new Map<string, IdsByTenant>();

  constructor(private readonly maxPartitions = 4) {}

  /** The ids `p` lists, read from its presence table on first use. */
  async idsOf(conn: DuckDBConnection, p: Partition, exists: boolean): Promise<IdsByTenant> {
    const table = presenceTable(p);
    let ids = this.byTable.get(table);
    if (ids !== undefined) {
      this.byTable.delete(table);
      this.byTable.set(table, ids);
      return ids;
    }
    ids = new Map();
    if (exists) {
      const result = await conn.run(`SELECT tenant_id, ${presenceColumn(p.kind)} FROM ${table}`);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        const tenants = chunk.getColumnVector(0);
        const values = chunk.getColumnVector(1);
        for (let i = 0; i < chunk.rowCount; i++) addId(ids, tenants.getItem(i) as number, values.getItem(i) as bigint);
      }
    }
    this.byTable.set(table, ids);
    while (this.byTable.size > this.maxPartitions) {
      const oldest = this.byTable.keys().next().value as string;
      this.byTable.delete(oldest);
    }
    return ids;
  }

  /** Records ids a committed transaction added to a presence table (if that table is still cached). */
  added(table: string, tenantId: number, id: bigint): void {
    const ids = this.byTable.get(table);
    if (ids !== undefined) addId(ids, tenantId, id);
  }

  clear(): void {
    this.byTable.clear();
  }
}

function addId(map: IdsByTenant, tenantId: number, id: bigint): void {
  let set = map.get(tenantId);
  if (set === undefined) map.set(tenantId, (set = new Set()));
  set.add(id);
}
