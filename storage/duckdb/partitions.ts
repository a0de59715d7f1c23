/**
 * Time partitions: every samples or logs row lives in one table per time window, so that
 * retention drops whole tables (no DELETE, no rewrite) and a query names only the tables its
 * range overlaps. A window is [startMs, endMs); both bounds are in the table's name, so a
 * change of partitionMs never makes two windows collide and the catalog can be rebuilt from
 * DuckDB's own list of tables on open.
 */
export type PartitionKind = 'samples' | 'logs';

export interface Partition {
  readonly kind: PartitionKind;
  /** Inclusive. */
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  /** The table's name: built from integers only, so it is safe to splice into SQL. */
  readonly table: string;
}

const namePattern = /^(samples|logs)_p(n?)(\d+)_(n?)(\d+)$/;

function encodeBound(ms: number): string {
  return ms < 0 ? `n${-ms}` : `${ms}`;
}

function decodeBound(negative: string, digits: string): number {
  const v = Number(digits);
  return negative === 'n' ? -v : v;
}

/**
 * Each partition has a small companion table listing which series (samples) or streams (logs)
 * it holds, one row each. "Which series have data in this range" then reads the companions of
 * the partitions the range covers whole, instead of every sample in them.
 */
export function presenceTable(p: Partition): string {
  return p.kind === 'samples' ? p.table.replace(/^samples_/, 'series_in_') : p.table.replace(/^logs_/, 'streams_in_');
}

/** The id column of a partition's rows and of its presence table. */
export function presenceColumn(kind: PartitionKind): 'series_id' | 'stream_id' {
  return kind === 'samples' ? 'series_id' : 'stream_id';
}

export function partitionTableName(kind: PartitionKind, startMs: number, endMs: number): string {
  return `${kind}_p${encodeBound(startMs)}_${encodeBound(endMs)}`;
}

/** The partition a table name denotes, or undefined when the table is not a partition. */
export function parsePartitionTable(table: string): Partition | undefined {
  const m = namePattern.exec(table);
  if (m === null) return undefined;
  const kind = m[1] as PartitionKind;
  const startMs = decodeBound(m[2] as string, m[3] as string);
  const endMs = decodeBound(m[4] as string, m[5] as string);
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs) || endMs <= startMs) return undefined;
  return { kind, startMs, endMs, table };
}

/**
 * The committed partitions, in memory. Only the writer changes it, and only after the
 * transaction that created or dropped tables has committed; queriers read it.
 */
export class PartitionCatalog {
  private readonly byTable = new Map<string, Partition>();

  constructor(private readonly partitionMs: number) {
    if (!Number.isSafeInteger(partitionMs) || partitionMs <= 0) throw new RangeError(`partitionMs must be a positive integer, got ${partitionMs}`);
  }

  /** The window (existing or to be created) that holds time `ms`. */
  windowOf(kind: PartitionKind, ms: number): Partition {
    const startMs = Math.floor(ms / this.partitionMs) * this.partitionMs;
    const endMs = startMs + this.partitionMs;
    // An existing window of another width (partitionMs changed) that covers `ms` is preferred,
    // so data of one instant does not spread over two tables needlessly.
    for (const p of this.byTable.values()) {
      if (p.kind === kind && p.startMs <= ms && ms < p.endMs && (p.startMs !== startMs || p.endMs !== endMs)) return p;
    }
    return { kind, startMs, endMs, table: partitionTableName(kind, startMs, endMs) };
  }

  has(table: string): boolean {
    return this.byTable.has(table);
  }

  add(p: Partition): void {
    this.byTable.set(p.table, p);
  }

  remove(table: string): void {
    this.byTable.delete(table);
  }

  /** Partitions of `kind` whose window overlaps the inclusive range [minMs, maxMs], oldest first. */
  overlapping(kind: PartitionKind, minMs: number, maxMs: number): Partition[] {
    const out: Partition[] = [];
    for (const p of this.byTable.values()) {
      if (p.kind === kind && p.startMs <= maxMs && p.endMs > minMs) out.push(p);
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  /** Partitions that lie entirely before `beforeMs`: every time they can hold is < beforeMs. */
  before(beforeMs: number): Partition[] {
    return [...this.byTable.values()].filter((p) => p.endMs <= beforeMs);
  }

  count(kind: PartitionKind): number {
    let n = 0;
    for (const p of this.byTable.values()) if (p.kind === kind) n++;
    return n;
  }
}
