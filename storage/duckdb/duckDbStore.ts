import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { VigilError } from '../../core/index.js';
import type { Appender, CardinalityStats, Querier, QuerierOptions, Store } from '../store.js';
import type { Batch } from './batch.js';
import { writeBatch } from './batchWriter.js';
import { readCardinality } from './cardinality.js';
import { ConnectionPool } from './connectionPool.js';
import { DuckDbAppender } from './duckDbAppender.js';
import { DuckDbQuerier } from './duckDbQuerier.js';
import type { Partition } from './partitions.js';
import { PartitionCatalog, presenceTable } from './partitions.js';
import { sortPartition } from './partitionSorter.js';
import { baseSchema } from './schema.js';
import { SerialQueue } from './serialQueue.js';
import { StoreMetrics } from './storeMetrics.js';
import { SeriesLabelCache } from './seriesLabelCache.js';
import { idSet, StoreState } from './storeState.js';

export interface DuckDbStoreOptions {
  /** Database file, e.g. `<dataDir>/vigil.duckdb`, or ':memory:' (nothing survives close). */
  readonly path: string;
  /** Width of one time partition of samples and logs (default one day). */
  readonly partitionMs?: number;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Read connections shared by queriers (default 2). */
  readonly readConnections?: number;
  /** DuckDB's own memory limit, e.g. '2GB' (DuckDB's default: 80% of RAM). */
  readonly memoryLimit?: string;
  /** DuckDB worker threads (DuckDB's default: one per core). */
  readonly threads?: number;
  /**
   * store.retentionMs: data older than now minus this is dropped at write time (counted in
   * vigil_store_dropped_total) and never creates a partition. Unset: everything is written.
   */
  readonly retentionMs?: number;
  /** The clock for that bound (tests pin it). */
  readonly now?: () => number;
  /** Series whose label sets queries keep in memory (seriesLabelCache.ts); 0 turns the cache off. */
  readonly labelCacheSeries?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** A tenant that never wrote. */
const emptyCardinality: CardinalityStats = {
  numSeries: 0,
  numLabelPairs: 0,
  minTimeMs: undefined,
  maxTimeMs: undefined,
  seriesCountByMetricName: [],
  labelValueCountByLabelName: [],
  memoryInBytesByLabelName: [],
  seriesCountByLabelValuePair: [],
};

/**
 * Database files opened by a store in this process. DuckDB's file lock keeps other processes
 * out, but two instances in one process on one file would both write it and corrupt it.
 */
const filesInUse = new Set<string>();

/**
 * The embedded store: one DuckDB database file. Writes go through a single write connection,
 * one transaction per appender batch, strictly one after another; queries run on a small pool
 * of other connections and see only committed batches (DuckDB's MVCC).
 *
 * Durability: COMMIT returns only after DuckDB has written the transaction to its write-ahead
 * log and fsync'ed it (seen with strace: one write + fsync of the .wal per COMMIT), so a
 * committed batch survives kill -9 and power loss; DuckDB replays the WAL on open.
 */
export class DuckDbStore implements Store {
  private readonly metrics: StoreMetrics;
  private readonly logger: Logger;
  private readonly state: StoreState;
  private readonly labels: SeriesLabelCache;
  private readonly writes = new SerialQueue();
  private instance: DuckDBInstance | undefined;
  private writer: DuckDBConnection | undefined;
  private pool: ConnectionPool | undefined;
  private closing: Promise<void> | undefined;
  /** The absolute database file while open (undefined in memory). */
  private file: string | undefined;

  constructor(private readonly options: DuckDbStoreOptions) {
    this.metrics = new StoreMetrics(options.registry);
    this.logger = options.logger;
    this.state = new StoreState(new PartitionCatalog(options.partitionMs ?? DAY_MS));
    this.labels = new SeriesLabelCache(options.labelCacheSeries);
  }

  async open(): Promise<void> {
    if (this.instance !== undefined) throw new VigilError('conflict', 'store is already open');
    const { path } = this.options;
    const file = path === ':memory:' ? undefined : resolve(path);
    if (file !== undefined) {
      if (filesInUse.has(file)) throw new VigilError('unavailable', `cannot open DuckDB database ${path}: another store in this process has it open`);
      mkdirSync(dirname(file), { recursive: true });
      filesInUse.add(file);
    }
    let instance: DuckDBInstance;
    try {
      const config: Record<string, string> = {};
      if (this.options.memoryLimit !== undefined) config['memory_limit'] = this.options.memoryLimit;
      if (this.options.threads !== undefined) config['threads'] = String(this.options.threads);
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      if (file !== undefined) filesInUse.delete(file);
      throw new VigilError('unavailable', `cannot open DuckDB database ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.file = file;
    let writer: DuckDBConnection;
    try {
      writer = await instance.connect();
      for (const ddl of baseSchema) await writer.run(ddl);
      await this.state.load(writer);
    } catch (err) {
      instance.closeSync();
      if (file !== undefined) filesInUse.delete(file);
      this.file = undefined;
      throw err;
    }
    this.instance = instance;
    this.writer = writer;
    this.pool = new ConnectionPool(instance, this.options.readConnections ?? 2);
    this.updatePartitionGauge();
    this.logger.info({ path, partitions: this.state.catalog.count('samples') + this.state.catalog.count('logs'), tenants: this.state.tenantIds.size }, 'store opened');
  }

  isOpen(): boolean {
    return this.instance !== undefined && this.closing === undefined;
  }

  appender(): Appender {
    this.assertOpen();
    return new DuckDbAppender((batch) => this.commitBatch(batch));
  }

  querier(tenant: string, minT: number, maxT: number, options?: QuerierOptions): Querier {
    const pool = this.assertOpen().pool;
    return new DuckDbQuerier({ pool, state: this.state, metrics: this.metrics, labels: this.labels }, tenant, minT, maxT, options);
  }

  /** Store.cardinality: computed in storage/duckdb/cardinality.ts over the tenant's series. */
  async cardinality(tenant: string, limit: number): Promise<CardinalityStats> {
    const { pool } = this.assertOpen();
    const tenantId = this.state.tenantIds.get(tenant);
    if (tenantId === undefined) return emptyCardinality;
    const samples = this.state.catalog.overlapping('samples', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    return pool.use((conn) => readCardinality(conn, tenantId, samples, limit));
  }

  async committedOffsets(group: string): Promise<Map<string, bigint>> {
    const { pool } = this.assertOpen();
    const sql = 'SELECT topic_partition, arg_max(next_offset, commit_seq) FROM consumer_offsets WHERE consumer_group = $1 GROUP BY topic_partition';
    const rows = await pool.use(async (conn) => (await conn.runAndReadAll(sql, [group], [VARCHAR])).getRows());
    return new Map(rows.map((r) => [r[0] as string, r[1] as bigint]));
  }

  async applyRetention(beforeMs: number): Promise<number> {
    if (!Number.isSafeInteger(beforeMs)) throw new VigilError('bad_data', `retention bound ${beforeMs} must be integer milliseconds`);
    return this.writes.run(async () => {
      const { writer } = this.assertOpen();
      const doomed = this.state.catalog.before(beforeMs);
      // Hide the partitions from new queries before dropping them, so that only a query which
      // read the catalog just before can meet a missing table (and it retries); put them back
      // if the drop fails.
      for (const p of doomed) this.state.catalog.remove(p.table);
      try {
        await this.dropPartitions(writer, doomed, beforeMs);
      } catch (err) {
        for (const p of doomed) this.state.catalog.add(p);
        throw err;
      }
      if (doomed.length > 0) {
        await this.state.load(writer);
        this.updatePartitionGauge();
        this.logger.info({ beforeMs, dropped: doomed.map((p) => p.table) }, 'retention dropped partitions');
      }
      return doomed.length;
    });
  }

  /** Drops partition tables, expired events and superseded offset rows, and the series left without samples. */
  private async dropPartitions(writer: DuckDBConnection, doomed: readonly Partition[], beforeMs: number): Promise<void> {
    await this.inTransaction(writer, async () => {
      for (const p of doomed) {
        await writer.run(`DROP TABLE IF EXISTS ${p.table}`);
        await writer.run(`DROP TABLE IF EXISTS ${presenceTable(p)}`);
      }
      await writer.run('DELETE FROM events WHERE last_seen_ms < $1', [beforeMs]);
      // Offset rows superseded by a newer commit of the same group and partition.
      await writer.run(`DELETE FROM consumer_offsets o WHERE commit_seq < (
        SELECT max(commit_seq) FROM consumer_offsets n WHERE n.consumer_group = o.consumer_group AND n.topic_partition = o.topic_partition)`);
      if (doomed.length > 0) await this.dropOrphans(writer);
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.writes.idle();
    const { instance, writer, pool } = this;
    if (instance === undefined || writer === undefined || pool === undefined) return;
    await pool.close();
    try {
      // Folds the WAL into the database file so the next open need not replay it.
      await writer.run('CHECKPOINT');
    } catch (err) {
      this.logger.warn({ err }, 'checkpoint on close failed; the WAL will be replayed on next open');
    }
    writer.disconnectSync();
    instance.closeSync();
    if (this.file !== undefined) filesInUse.delete(this.file);
    this.logger.info({ path: this.options.path }, 'store closed');
  }

  private commitBatch(batch: Batch): Promise<void> {
    return this.writes.run(async () => {
      const { writer } = this.assertOpen();
      const end = this.metrics.commitDuration.startTimer();
      let effects;
      try {
        const minTimeMs = this.options.retentionMs === undefined ? -Infinity : (this.options.now ?? Date.now)() - this.options.retentionMs;
        effects = await this.inTransaction(writer, () => writeBatch(writer, batch, this.state, minTimeMs));
      } catch (err) {
        this.metrics.commitFailures.inc();
        this.logger.warn({ err }, 'store commit failed; batch rolled back');
        throw err;
      } finally {
        end();
      }
      // Committed: only now does the in-memory state learn about new tenants, series and partitions.
      for (const [name, id] of effects.newTenants) {
        this.state.tenantIds.set(name, id);
        this.state.nextTenantId = Math.max(this.state.nextTenantId, id + 1);
      }
      for (const [tenantId, id] of effects.newSeries) idSet(this.state.knownSeries, tenantId).add(id);
      for (const [tenantId, id] of effects.newStreams) idSet(this.state.knownStreams, tenantId).add(id);
      for (const [key, value] of effects.metadata) this.state.metadata.set(key, value);
      for (const p of effects.newPartitions) this.state.catalog.add(p);
      for (const [table, tenantId, id] of effects.newPresence) this.state.presence.added(table, tenantId, id);
      if (effects.rows.offsets > 0) this.state.nextCommitSeq++;
      if (effects.newPartitions.length > 0) this.updatePartitionGauge();
      for (const [table, n] of Object.entries(effects.rows)) if (n > 0) this.metrics.rowsAppended.inc({ table }, n);
      this.countOutsideRetention(effects.outsideRetention);
      for (const p of effects.newPartitions) if (p.kind === 'samples') this.sortPreviousPartition(p);
    });
  }

  /**
   * When time moves on to a new samples window, the window before it is closed (late samples
   * aside): rewrite it in series order, as a write task queued behind this commit.
   */
  private sortPreviousPartition(opened: Partition): void {
    const samples = this.state.catalog.overlapping('samples', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if (samples.some((p) => p.startMs > opened.startMs)) return; // late data for an old window: time did not move on
    const previous = samples.filter((p) => p.endMs <= opened.startMs).at(-1);
    if (previous === undefined || this.state.sortedPartitions.has(previous.table)) return;
    const task = this.writes.run(async () => {
      if (this.closing !== undefined || !this.state.catalog.has(previous.table)) return;
      const { writer } = this.assertOpen();
      const started = performance.now();
      await this.inTransaction(writer, () => sortPartition(writer, previous));
      this.state.sortedPartitions.add(previous.table);
      this.logger.info({ table: previous.table, ms: Math.round(performance.now() - started) }, 'samples partition sorted by series');
    });
    task.catch((err: unknown) => this.logger.warn({ err, table: previous.table }, 'sorting a samples partition failed; it stays in arrival order'));
  }

  private async inTransaction<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
    await conn.run('BEGIN TRANSACTION');
    let result: T;
    try {
      result = await work();
      await conn.run('COMMIT');
    } catch (err) {
      try {
        await conn.run('ROLLBACK');
      } catch {
        // A failed COMMIT has already rolled back; the original error is what matters.
      }
      throw err;
    }
    return result;
  }

  /** Deletes series and streams that no remaining partition (the catalog's) has rows for. */
  private async dropOrphans(writer: DuckDBConnection): Promise<void> {
    const remaining = (kind: 'samples' | 'logs', id: string): string => {
      const parts = this.state.catalog.overlapping(kind, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return parts.length === 0 ? '' : parts.map((p) => `SELECT tenant_id, ${id} FROM ${presenceTable(p)}`).join(' UNION ');
    };
    const samples = remaining('samples', 'series_id');
    await writer.run(samples === '' ? 'DELETE FROM series' : `DELETE FROM series WHERE (tenant_id, series_id) NOT IN (SELECT (tenant_id, series_id) FROM (${samples}))`);
    const logs = remaining('logs', 'stream_id');
    await writer.run(logs === '' ? 'DELETE FROM log_streams' : `DELETE FROM log_streams WHERE (tenant_id, stream_id) NOT IN (SELECT (tenant_id, stream_id) FROM (${logs}))`);
  }

  private assertOpen(): { writer: DuckDBConnection; pool: ConnectionPool } {
    if (this.writer === undefined || this.pool === undefined || this.closing !== undefined) throw new VigilError('unavailable', 'store is not open');
    return { writer: this.writer, pool: this.pool };
  }

  /** Data the bus delivered too late to keep: counted and logged, since it was acknowledged to a client once. */
  private countOutsideRetention(dropped: Record<'samples' | 'logs' | 'events', number>): void {
    if (dropped.samples + dropped.logs + dropped.events === 0) return;
    for (const [kind, n] of Object.entries(dropped)) if (n > 0) this.metrics.dropped.inc({ kind, reason: 'outside_retention' }, n);
    this.logger.warn({ dropped, retentionMs: this.options.retentionMs }, 'dropped data older than the retention at write time (no partition created)');
  }

  private updatePartitionGauge(): void {
    this.metrics.partitions.set({ kind: 'samples' }, this.state.catalog.count('samples'));
    this.metrics.partitions.set({ kind: 'logs' }, this.state.catalog.count('logs'));
  }
}
