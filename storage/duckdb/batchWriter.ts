import type { DuckDBAppender, DuckDBConnection, DuckDBType, DuckDBVector } from '@duckdb/node-api';
import { BIGINT, DOUBLE, INTEGER, MAP, mapValue, UBIGINT, UINTEGER, UTINYINT, VARCHAR } from '@duckdb/node-api';
import type { Labels } from '../../core/index.js';
import { METRIC_NAME, sortedLabelPairs } from '../../core/index.js';
import type { Batch, BatchEvent, BatchLog } from './batch.js';
import { appendInChunks } from './chunks.js';
import type { Partition, PartitionKind } from './partitions.js';
import { presenceTable } from './partitions.js';
import { partitionDdl } from './schema.js';
import type { StoreState } from './storeState.js';

/** What the in-memory state must learn once a batch's transaction commits (and forget on rollback). */
export interface CommitEffects {
  readonly newTenants: Map<string, number>;
  readonly newSeries: Array<[number, bigint]>;
  readonly newStreams: Array<[number, bigint]>;
  readonly newPartitions: Partition[];
  /** Rows added to presence tables: [presence table, tenant id, series or stream id]. */
  readonly newPresence: Array<[string, number, bigint]>;
  readonly metadata: Map<string, string>;
  /** Rows written per table family, for metrics. */
  readonly rows: Record<'samples' | 'series' | 'logs' | 'log_streams' | 'events' | 'metadata' | 'offsets', number>;
  /** Rows not written because they are older than the retention (see writeBatch's minTimeMs). */
  readonly outsideRetention: Record<'samples' | 'logs' | 'events', number>;
}

/** partOf's mark for a sample that is dropped rather than routed to a partition. */
const DROPPED = 0xffff;

const MAP_VV = MAP(VARCHAR, VARCHAR);
const seriesTypes: readonly DuckDBType[] = [UINTEGER, UBIGINT, VARCHAR, MAP_VV];
const streamTypes: readonly DuckDBType[] = [UINTEGER, UBIGINT, MAP_VV];
const sampleTypes: readonly DuckDBType[] = [UINTEGER, UBIGINT, BIGINT, DOUBLE];
const logTypes: readonly DuckDBType[] = [UINTEGER, UBIGINT, BIGINT, BIGINT, UTINYINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR];
const presenceTypes: readonly DuckDBType[] = [UINTEGER, UBIGINT];
const offsetTypes: readonly DuckDBType[] = [VARCHAR, VARCHAR, BIGINT, BIGINT];
const eventTypes: readonly DuckDBType[] = [UINTEGER, BIGINT, BIGINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER, VARCHAR, MAP_VV];

function labelsMap(labels: Labels): ReturnType<typeof mapValue> {
  return mapValue(sortedLabelPairs(labels).map(([key, value]) => ({ key, value })));
}

async function withAppender(conn: DuckDBConnection, table: string, use: (a: DuckDBAppender) => Promise<void>): Promise<void> {
  const appender = await conn.createAppender(table);
  try {
    await use(appender);
  } catch (err) {
    try {
      appender.clear();
      appender.closeSync();
    } catch {
      // The transaction is rolled back anyway; the original error is the one that matters.
    }
    throw err;
  }
  appender.closeSync();
}

/**
 * Writes one batch inside the caller's open transaction, every table through DuckDB's appender.
 *
 * The appender runs inside the connection's explicit transaction: rows it flushes are invisible
 * to other connections until COMMIT and vanish on ROLLBACK (test/storage/duckdb.test.ts checks
 * this), so data, new series, presence rows and consumer offsets commit or roll back together.
 *
 * Samples and log records older than `minTimeMs` (now minus the retention) are dropped and
 * counted in `outsideRetention`, never creating a partition: ingest refuses such data, but the
 * bus may replay records that aged while the writer was down, and a partition outside retention
 * would only be dropped again by the next retention run. Events are dropped on their last-seen time.
 */
export async function writeBatch(conn: DuckDBConnection, batch: Batch, state: StoreState, minTimeMs = -Infinity): Promise<CommitEffects> {
  const effects: CommitEffects = {
    newTenants: new Map(),
    newSeries: [],
    newStreams: [],
    newPartitions: [],
    newPresence: [],
    metadata: new Map(),
    rows: { samples: 0, series: 0, logs: 0, log_streams: 0, events: 0, metadata: 0, offsets: 0 },
    outsideRetention: { samples: 0, logs: 0, events: 0 },
  };
  const tenantIds = await resolveTenants(conn, batch, state, effects);
  const ensurePartition = async (kind: PartitionKind, ms: number): Promise<Partition> => {
    const p = state.catalog.windowOf(kind, ms);
    if (!state.catalog.has(p.table) && !effects.newPartitions.some((q) => q.table === p.table)) {
      for (const ddl of partitionDdl(p)) await conn.run(ddl);
      effects.newPartitions.push(p);
    }
    return p;
  };

  await writeSeries(conn, batch, state, tenantIds, effects);
  await writeSamples(conn, batch, state, tenantIds, ensurePartition, effects, minTimeMs);
  const logs = withinRetention(batch.logs, (l) => Number(l.record.timeNs / 1_000_000n), minTimeMs);
  effects.outsideRetention.logs = batch.logs.length - logs.length;
  await writeStreams(conn, logs, state, tenantIds, effects);
  await writeLogs(conn, logs, state, tenantIds, ensurePartition, effects);
  const events = withinRetention(batch.events, (e) => e.event.lastSeenMs, minTimeMs);
  effects.outsideRetention.events = batch.events.length - events.length;
  await writeEvents(conn, events, tenantIds, effects);
  await writeMetadata(conn, batch, state, tenantIds, effects);
  await writeOffsets(conn, batch, state, effects);
  return effects;
}

/** The entries at or after minTimeMs (the same array when all are). */
function withinRetention<T>(entries: readonly T[], timeOf: (e: T) => number, minTimeMs: number): readonly T[] {
  if (minTimeMs === -Infinity || entries.every((e) => timeOf(e) >= minTimeMs)) return entries;
  return entries.filter((e) => timeOf(e) >= minTimeMs);
}

/** Tenant slot → tenant id, inserting tenants seen for the first time. */
async function resolveTenants(conn: DuckDBConnection, batch: Batch, state: StoreState, effects: CommitEffects): Promise<Uint32Array> {
  const ids = new Uint32Array(batch.tenants.length);
  let next = state.nextTenantId;
  for (const [slot, name] of batch.tenants.entries()) {
    let id = state.tenantIds.get(name);
    if (id === undefined) {
      id = next++;
      await conn.run('INSERT INTO tenants VALUES ($1, $2)', [id, name], [UINTEGER, VARCHAR]);
      effects.newTenants.set(name, id);
    }
    ids[slot] = id;
  }
  return ids;
}

async function writeSeries(conn: DuckDBConnection, batch: Batch, state: StoreState, tenantIds: Uint32Array, effects: CommitEffects): Promise<void> {
  const fresh: Array<{ tenantId: number; id: bigint; labels: Labels }> = [];
  const seenInBatch = new Map<number, Set<bigint>>();
  for (let slot = 0; slot < batch.seriesCount; slot++) {
    const tenantId = tenantIds[batch.seriesTenantSlot[slot] as number] as number;
    const id = batch.seriesIds[slot] as bigint;
    if (state.knownSeries.get(tenantId)?.has(id) === true) continue;
    let local = seenInBatch.get(tenantId);
    if (local === undefined) seenInBatch.set(tenantId, (local = new Set()));
    if (local.has(id)) continue;
    local.add(id);
    fresh.push({ tenantId, id, labels: batch.labelsOf(slot) });
  }
  if (fresh.length === 0) return;
  await withAppender(conn, 'series', (a) =>
    appendInChunks(a, seriesTypes, fresh.length, (v, from, n) => {
      for (let r = 0; r < n; r++) {
        const s = fresh[from + r] as (typeof fresh)[number];
        v[0]?.setItem(r, s.tenantId);
        v[1]?.setItem(r, s.id);
        v[2]?.setItem(r, s.labels[METRIC_NAME] ?? '');
        v[3]?.setItem(r, labelsMap(s.labels));
      }
    }),
  );
  for (const s of fresh) effects.newSeries.push([s.tenantId, s.id]);
  effects.rows.series += fresh.length;
}

type EnsurePartition = (kind: PartitionKind, ms: number) => Promise<Partition>;

/** Lists in `p`'s presence table the (tenant, id) pairs it does not list yet. */
async function writePresence(conn: DuckDBConnection, state: StoreState, p: Partition, effects: CommitEffects, pairs: Array<[number, bigint]>): Promise<void> {
  const isNew = effects.newPartitions.some((q) => q.table === p.table);
  const listed = await state.presence.idsOf(conn, p, !isNew);
  const table = presenceTable(p);
  const fresh: Array<[number, bigint]> = [];
  const seen = new Set<string>();
  for (const [tenantId, id] of pairs) {
    if (listed.get(tenantId)?.has(id) === true) continue;
    const key = `${tenantId}/${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push([tenantId, id]);
  }
  if (fresh.length === 0) return;
  await withAppender(conn, table, (a) =>
    appendInChunks(a, presenceTypes, fresh.length, (v, from, n) => {
      for (let r = 0; r < n; r++) {
        const [tenantId, id] = fresh[from + r] as [number, bigint];
        v[0]?.setItem(r, tenantId);
        v[1]?.setItem(r, id);
      }
    }),
  );
  for (const [tenantId, id] of fresh) effects.newPresence.push([table, tenantId, id]);
}

async function writeSamples(
  conn: DuckDBConnection,
  batch: Batch,
  state: StoreState,
  tenantIds: Uint32Array,
  ensurePartition: EnsurePartition,
  effects: CommitEffects,
  minTimeMs: number,
): Promise<void> {
  const count = batch.sampleCount;
  if (count === 0) return;
  const time = batch.sampleTime;
  const value = batch.sampleValue;
  const seriesOf = batch.sampleSeries;
  // Per-series columns, looked up per sample by slot.
  const seriesTenant = new Uint32Array(batch.seriesCount);
  const seriesIds = batch.seriesIds;
  for (let i = 0; i < batch.seriesCount; i++) seriesTenant[i] = tenantIds[batch.seriesTenantSlot[i] as number] as number;

  // Route samples to partitions. Nearly every batch falls in one window: then no index is built.
  const partitions: Partition[] = [];
  const partOf = new Uint16Array(count);
  let current: Partition | undefined;
  let currentSlot = 0;
  let dropped = 0;
  for (let k = 0; k < count; k++) {
    const t = time[k] as number;
    if (t < minTimeMs) {
      partOf[k] = DROPPED;
      dropped++;
      continue;
    }
    if (current === undefined || t < current.startMs || t >= current.endMs) {
      current = await ensurePartition('samples', t);
      const table = current.table;
      currentSlot = partitions.findIndex((p) => p.table === table);
      if (currentSlot < 0) currentSlot = partitions.push(current) - 1;
    }
    partOf[k] = currentSlot;
  }

  for (const [slot, p] of partitions.entries()) {
    let rows: Uint32Array | undefined;
    if (partitions.length > 1 || dropped > 0) {
      let n = 0;
      for (let k = 0; k < count; k++) if (partOf[k] === slot) n++;
      rows = new Uint32Array(n);
      n = 0;
      for (let k = 0; k < count; k++) if (partOf[k] === slot) rows[n++] = k;
    }
    const rowCount = rows === undefined ? count : rows.length;
    const hasSamples = new Uint8Array(batch.seriesCount);
    for (let r = 0; r < rowCount; r++) hasSamples[seriesOf[rows === undefined ? r : (rows[r] as number)] as number] = 1;
    const present: Array<[number, bigint]> = [];
    for (let i = 0; i < hasSamples.length; i++) if (hasSamples[i] === 1) present.push([seriesTenant[i] as number, seriesIds[i] as bigint]);
    await writePresence(conn, state, p, effects, present);
    await withAppender(conn, p.table, (a) =>
      appendInChunks(a, sampleTypes, rowCount, (v, from, n) => {
        const [vTenant, vSeries, vTime, vValue] = v as [DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector];
        for (let r = 0; r < n; r++) {
          const k = rows === undefined ? from + r : (rows[from + r] as number);
          const s = seriesOf[k] as number;
          vTenant.setItem(r, seriesTenant[s] as number);
          vSeries.setItem(r, seriesIds[s] as bigint);
          vTime.setItem(r, BigInt(time[k] as number));
          vValue.setItem(r, value[k] as number);
        }
      }),
    );
  }
  effects.rows.samples += count - dropped;
  effects.outsideRetention.samples = dropped;
}

async function writeStreams(conn: DuckDBConnection, logs: readonly BatchLog[], state: StoreState, tenantIds: Uint32Array, effects: CommitEffects): Promise<void> {
  const fresh: Array<{ tenantId: number; id: bigint; labels: Labels }> = [];
  const seen = new Set<string>();
  for (const l of logs) {
    const tenantId = tenantIds[l.tenantSlot] as number;
    if (state.knownStreams.get(tenantId)?.has(l.streamId) === true) continue;
    const key = `${tenantId}/${l.streamId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push({ tenantId, id: l.streamId, labels: l.record.stream });
  }
  if (fresh.length === 0) return;
  await withAppender(conn, 'log_streams', (a) =>
    appendInChunks(a, streamTypes, fresh.length, (v, from, n) => {
      for (let r = 0; r < n; r++) {
        const s = fresh[from + r] as (typeof fresh)[number];
        v[0]?.setItem(r, s.tenantId);
        v[1]?.setItem(r, s.id);
        v[2]?.setItem(r, labelsMap(s.labels));
      }
    }),
  );
  for (const s of fresh) effects.newStreams.push([s.tenantId, s.id]);
  effects.rows.log_streams += fresh.length;
}

async function writeLogs(conn: DuckDBConnection, batchLogs: readonly BatchLog[], state: StoreState, tenantIds: Uint32Array, ensurePartition: EnsurePartition, effects: CommitEffects): Promise<void> {
  if (batchLogs.length === 0) return;
  const byTable = new Map<string, { partition: Partition; logs: BatchLog[] }>();
  for (const l of batchLogs) {
    const p = await ensurePartition('logs', Number(l.record.timeNs / 1_000_000n));
    let entry = byTable.get(p.table);
    if (entry === undefined) byTable.set(p.table, (entry = { partition: p, logs: [] }));
    entry.logs.push(l);
  }
  for (const { partition, logs } of byTable.values()) {
    await writePresence(conn, state, partition, effects, logs.map((l) => [tenantIds[l.tenantSlot] as number, l.streamId]));
    await withAppender(conn, partition.table, (a) =>
      appendInChunks(a, logTypes, logs.length, (v, from, n) => {
        for (let r = 0; r < n; r++) {
          const { tenantSlot, streamId, record, attributes, resource } = logs[from + r] as BatchLog;
          v[0]?.setItem(r, tenantIds[tenantSlot] as number);
          v[1]?.setItem(r, streamId);
          v[2]?.setItem(r, record.timeNs);
          v[3]?.setItem(r, record.observedTimeNs);
          v[4]?.setItem(r, record.severityNumber);
          v[5]?.setItem(r, record.severityText);
          v[6]?.setItem(r, record.body);
          v[7]?.setItem(r, attributes);
          v[8]?.setItem(r, resource);
          v[9]?.setItem(r, record.traceId);
          v[10]?.setItem(r, record.spanId);
        }
      }),
    );
  }
  effects.rows.logs += batchLogs.length;
}

async function writeEvents(conn: DuckDBConnection, events: readonly BatchEvent[], tenantIds: Uint32Array, effects: CommitEffects): Promise<void> {
  if (events.length === 0) return;
  await withAppender(conn, 'events', (a) =>
    appendInChunks(a, eventTypes, events.length, (v, from, n) => {
      for (let r = 0; r < n; r++) {
        const { tenantSlot, event: e } = events[from + r] as (typeof events)[number];
        const o = e.involvedObject;
        const values = [tenantIds[tenantSlot] as number, BigInt(e.firstSeenMs), BigInt(e.lastSeenMs), e.reason, e.type, o.kind, o.name, o.namespace, o.uid, e.message, e.count, e.source, labelsMap(e.labels)];
        for (let c = 0; c < values.length; c++) v[c]?.setItem(r, values[c] ?? null);
      }
    }),
  );
  effects.rows.events += events.length;
}

async function writeOffsets(conn: DuckDBConnection, batch: Batch, state: StoreState, effects: CommitEffects): Promise<void> {
  const offsets = [...batch.offsets.values()];
  if (offsets.length === 0) return;
  const seq = BigInt(state.nextCommitSeq);
  await withAppender(conn, 'consumer_offsets', (a) =>
    appendInChunks(a, offsetTypes, offsets.length, (v, from, n) => {
      for (let r = 0; r < n; r++) {
        const o = offsets[from + r] as (typeof offsets)[number];
        v[0]?.setItem(r, o.group);
        v[1]?.setItem(r, o.topicPartition);
        v[2]?.setItem(r, o.nextOffset);
        v[3]?.setItem(r, seq);
      }
    }),
  );
  effects.rows.offsets += offsets.length;
}

async function writeMetadata(conn: DuckDBConnection, batch: Batch, state: StoreState, tenantIds: Uint32Array, effects: CommitEffects): Promise<void> {
  for (const { tenantSlot, metadata: m } of batch.metadata) {
    const tenantId = tenantIds[tenantSlot] as number;
    const key = `${tenantId}\u0000${m.metricFamilyName}`;
    const value = `${m.type}\u0000${m.unit}\u0000${m.help}`;
    if ((effects.metadata.get(key) ?? state.metadata.get(key)) === value) continue;
    await conn.run('INSERT OR REPLACE INTO metric_metadata VALUES ($1, $2, $3, $4, $5)', [tenantId, m.metricFamilyName, m.type, m.unit, m.help], [UINTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR]);
    effects.metadata.set(key, value);
    effects.rows.metadata++;
  }
}
