import type { DuckDBConnection } from '@duckdb/node-api';
import { BIGINT, LIST, listValue, UBIGINT, UINTEGER, VARCHAR } from '@duckdb/node-api';
import type { Attributes, Event, Labels, MetricMetadata, MetricType } from '../../core/index.js';
import { sortByLabelSet, VigilError } from '../../core/index.js';
import type { LabelMatcher } from '../matchers.js';
import { tooManySeries } from '../readErrors.js';
import type { EventSelection, LogScan, LogSelection, LogStats, ScanSink, Querier, QuerierOptions, SelectHints, SeriesSamples, StoredLogRecord, StoredSeries } from '../store.js';
import type { ConnectionPool } from './connectionPool.js';
import type { LabelValueSql } from './matcherSql.js';
import { mapLabel, matchersSql, seriesLabel } from './matcherSql.js';
import type { PartitionKind } from './partitions.js';
import { presenceColumn, presenceTable } from './partitions.js';
import { asQueryError, checkLimit, isDroppedPartition, MAX_ATTEMPTS } from './queryErrors.js';
import { logStats, scanLogs } from './logScan.js';
import { labelsOf, stringColumn } from './resultRows.js';
import { readIds, streamSamples } from './sampleStream.js';
import type { SeriesLabelCache } from './seriesLabelCache.js';
import { SqlParams } from './sqlParams.js';
import type { StoreMetrics } from './storeMetrics.js';
import type { StoreState } from './storeState.js';

export interface QuerierContext {
  readonly pool: ConnectionPool;
  readonly state: StoreState;
  readonly metrics: StoreMetrics;
  /** Label sets by series id, shared by all queriers of the store. */
  readonly labels: SeriesLabelCache;
}

const NS_PER_MS = 1_000_000n;

/** Event fields a matcher may name when the event's own labels do not set that name. */
const eventFieldColumns = new Map([
  ['reason', 'reason'],
  ['type', 'type'],
  ['source', 'source'],
  ['kind', 'object_kind'],
  ['name', 'object_name'],
  ['namespace', 'object_namespace'],
  ['uid', 'object_uid'],
]);

const eventLabel: LabelValueSql = (name, fromMap) => {
  const field = eventFieldColumns.get(name);
  return field === undefined ? `coalesce(${fromMap()}, '')` : `coalesce(${fromMap()}, ${field})`;
};

/**
 * Reads one tenant over [minT, maxT] (ms, inclusive). Each call borrows a read connection, names
 * only the partitions its range overlaps, and binds every caller value as a parameter. The
 * querier's signal interrupts the running statement (ConnectionPool.use).
 *
 * Every statement filters every table it reads (series, samples, presence, log_streams, logs,
 * metric_metadata, events) on `tenant_id = $n`: series ids are shared between tenants with the
 * same labels (schema.ts), so a join on the id alone would mix their samples.
 */
export class DuckDbQuerier implements Querier {
  constructor(
    private readonly ctx: QuerierContext,
    private readonly tenant: string,
    private readonly minT: number,
    private readonly maxT: number,
    private readonly options: QuerierOptions = {},
  ) {
    if (!Number.isSafeInteger(minT) || !Number.isSafeInteger(maxT)) throw new VigilError('bad_data', `query range [${minT}, ${maxT}] must be integer milliseconds`);
  }

  selectSeries(matchers: readonly LabelMatcher[], hints?: SelectHints): Promise<StoredSeries[]> {
    return this.timed('select_series', async (conn, tenantId) => this.seriesInRange(conn, tenantId, matchers, hints?.limit));
  }

  selectSamples(matchers: readonly LabelMatcher[], hints?: SelectHints): Promise<SeriesSamples[]> {
    return this.timed('select_samples', async (conn, tenantId) => {
      // The informational hints (startMs … grouping) are not used: raw samples are always what the range selects.
      const ids = await this.sampledSeriesCandidates(conn, tenantId, matchers, hints?.limit, hints?.maxSeries);
      if (ids.length === 0) return [];
      const params = new SqlParams();
      const idList = params.add(listValue(ids), LIST(UBIGINT));
      const samples = this.samplesUnion(params, tenantId, 'series_id, ts, value');
      // Rows name their series by its index in `ids`, so gathering them needs no map lookup.
      const sql = `WITH ids AS (SELECT unnest(${idList}) AS series_id, (generate_subscripts(${idList}, 1) - 1)::INTEGER AS idx)
        SELECT idx, ts::DOUBLE AS t, value AS v FROM (${samples}) x JOIN ids USING (series_id)`;
      const columns = await streamSamples(conn, sql, params, {
        seriesCount: ids.length,
        maxSamples: hints?.maxSamples ?? Infinity,
        signal: this.options.signal,
        onRows: (n) => this.ctx.metrics.samplesRead.inc(n),
      });
      // A candidate may have no sample in range: only the ones with samples are returned (and labelled).
      const read: Array<{ id: bigint; timestamps: Float64Array; values: Float64Array }> = [];
      ids.forEach((id, i) => {
        const { timestamps, values } = columns.take(i);
        if (timestamps.length > 0) read.push({ id, timestamps, values });
      });
      const labelled = await this.withLabels(conn, tenantId, read.map((r) => r.id));
      return sortByLabelSet(read.map((r, i) => ({ ...r, labels: (labelled[i] as StoredSeries).labels })));
    });
  }

  /**
   * The ids whose samples selectSamples reads. Without a `limit`, the series whose labels match,
   * found in the series table alone: the samples read that follows drops the ones without data
   * in range anyway, and asking the presence tables first would scan a partly covered partition
   * twice. Only when more series match than `maxSeries` allows are they narrowed to the ones with
   * data in range (which still fails the query if too many). With a `limit`, the first `limit`
   * series in range by id, as selectSeries keeps them.
   */
  private async sampledSeriesCandidates(conn: DuckDBConnection, tenantId: number, matchers: readonly LabelMatcher[], limit: number | undefined, maxSeries = Infinity): Promise<bigint[]> {
    if (limit !== undefined) return this.seriesIdsInRange(conn, tenantId, matchers, limit, maxSeries);
    if (maxSeries !== Infinity) checkLimit(maxSeries, 'max series');
    if (this.ctx.state.catalog.overlapping('samples', this.minT, this.maxT).length === 0) return [];
    const params = new SqlParams();
    const cap = maxSeries === Infinity ? '' : ` LIMIT ${params.add(maxSeries + 1, BIGINT)}`;
    const sql = `SELECT s.series_id FROM series s WHERE s.tenant_id = ${params.add(tenantId, UINTEGER)} AND ${matchersSql(matchers, params, seriesLabel)}${cap}`;
    const ids = await readIds(conn, sql, params);
    if (ids.length <= maxSeries) return ids;
    return this.seriesIdsInRange(conn, tenantId, matchers, undefined, maxSeries);
  }

  selectLogs(selection: LogSelection): Promise<StoredLogRecord[]> {
    return this.timed('select_logs', async (conn, tenantId) => {
      checkLimit(selection.limit, 'log');
      if (selection.direction !== 'forward' && selection.direction !== 'backward') {
        throw new VigilError('bad_data', `log direction ${JSON.stringify(selection.direction)} is neither "forward" nor "backward"`);
      }
      const startNs = selection.startNs ?? BigInt(this.minT) * NS_PER_MS;
      const endNs = selection.endNs ?? BigInt(this.maxT) * NS_PER_MS + (NS_PER_MS - 1n);
      if (selection.limit === 0 || endNs < startNs) return [];
      const parts = this.ctx.state.catalog.overlapping('logs', Number(startNs / NS_PER_MS), Number(endNs / NS_PER_MS));
      if (parts.length === 0) return [];
      const params = new SqlParams();
      const t = params.add(tenantId, UINTEGER);
      const from = params.add(startNs, BIGINT);
      const to = params.add(endNs, BIGINT);
      const union = parts.map((p) => `SELECT * FROM ${p.table} WHERE tenant_id = ${t} AND ts_ns BETWEEN ${from} AND ${to}`).join(' UNION ALL ');
      const filters = (selection.lineFilters ?? []).map((f) => {
        const v = params.add(f.value, VARCHAR);
        switch (f.type) {
          case '|=':
            return `contains(body, ${v})`;
          case '!=':
            return `NOT contains(body, ${v})`;
          case '|~':
            return `regexp_matches(body, ${v})`;
          case '!~':
            return `NOT regexp_matches(body, ${v})`;
          default:
            throw new VigilError('bad_data', `unknown line filter ${JSON.stringify((f as { type: unknown }).type)}`);
        }
      });
      const streams = matchersSql(selection.matchers, params, mapLabel);
      const order = selection.direction === 'forward' ? 'ASC' : 'DESC';
      const limit = params.add(selection.limit, BIGINT);
      const sql = `SELECT stream_id, ts_ns, observed_ns, severity_number, severity_text, body, attributes, resource, trace_id, span_id
        FROM (${union}) x
        WHERE stream_id IN (SELECT stream_id FROM log_streams WHERE tenant_id = ${t} AND ${streams})
        ${filters.map((f) => `AND ${f}`).join(' ')}
        ORDER BY ts_ns ${order}, stream_id ${order}, observed_ns ${order} LIMIT ${limit}`;
      const rows = (await conn.runAndReadAll(sql, params.values, params.types)).getRows();
      if (rows.length === 0) return [];
      // Streams are committed with their first logs, so every stream seen above is visible now.
      const ids = [...new Set(rows.map((r) => r[0] as bigint))];
      const sp = new SqlParams();
      const streamRows = (
        await conn.runAndReadAll(
          `SELECT stream_id, labels FROM log_streams WHERE tenant_id = ${sp.add(tenantId, UINTEGER)} AND stream_id IN (SELECT unnest(${sp.add(listValue(ids), LIST(UBIGINT))}))`,
          sp.values,
          sp.types,
        )
      ).getRows();
      const labelsById = new Map(streamRows.map((r) => [r[0] as bigint, labelsOf(r[1] ?? null)]));
      return rows.map((r) => ({
        streamId: r[0] as bigint,
        timeNs: r[1] as bigint,
        observedTimeNs: r[2] as bigint,
        severityNumber: r[3] as number,
        severityText: r[4] as string,
        body: r[5] as string,
        stream: labelsById.get(r[0] as bigint) ?? {},
        attributes: JSON.parse(r[6] as string) as Attributes,
        resource: JSON.parse(r[7] as string) as Attributes,
        traceId: r[8] as string,
        spanId: r[9] as string,
      }));
    });
  }

  async scanLogs(scan: LogScan, sink: ScanSink): Promise<void> {
    const { startNs, endNs } = scan;
    if (startNs < BigInt(this.minT) * NS_PER_MS || endNs > BigInt(this.maxT) * NS_PER_MS + NS_PER_MS - 1n) {
      throw new VigilError('bad_data', `log scan [${startNs}, ${endNs}] ns reaches outside the querier's range [${this.minT}, ${this.maxT}] ms`);
    }
    await this.timed('scan_logs', async (conn, tenantId) => {
      await scanLogs(conn, this.ctx.state.catalog, tenantId, scan, sink, this.options.signal);
      return [];
    });
  }

  async selectStreams(matchers: readonly LabelMatcher[]): Promise<Labels[]> {
    return this.timed('select_streams', async (conn, tenantId) => {
      const params = new SqlParams();
      const streams = this.streamsInRangeSql(params, tenantId);
      if (streams === undefined) return [];
      const where = matchersSql(matchers, params, mapLabel);
      const rows = (await conn.runAndReadAll(`SELECT labels FROM log_streams WHERE ${streams} AND ${where}`, params.values, params.types)).getRows();
      return sortByLabelSet(rows.map((r) => ({ labels: labelsOf(r[0] ?? null) }))).map((s) => s.labels);
    });
  }

  async logStats(matchers: readonly LabelMatcher[], startNs: bigint, endNs: bigint): Promise<LogStats> {
    const [stats] = await this.timed('log_stats', async (conn, tenantId) => [await logStats(conn, this.ctx.state.catalog, tenantId, matchers, startNs, endNs)]);
    return stats ?? { streams: 0, chunks: 0, entries: 0, bytes: 0 };
  }

  selectEvents(selection: EventSelection): Promise<Event[]> {
    return this.timed('select_events', async (conn, tenantId) => {
      checkLimit(selection.limit, 'event');
      checkLimit(selection.offset, 'event offset');
      const params = new SqlParams();
      // A matcher reads the event's labels first, then the event's own field of that name.
      const where = matchersSql(selection.matchers ?? [], params, eventLabel);
      const sql = `SELECT first_seen_ms, last_seen_ms, reason, type, object_kind, object_name, object_namespace, object_uid, message, count, source, labels
        FROM events WHERE tenant_id = ${params.add(tenantId, UINTEGER)}
          AND first_seen_ms <= ${params.add(this.maxT, BIGINT)} AND last_seen_ms >= ${params.add(this.minT, BIGINT)}
          AND ${where}
        ORDER BY last_seen_ms DESC, first_seen_ms DESC, object_namespace, object_kind, object_name, object_uid, reason, type, source, message, count
        LIMIT ${params.add(selection.limit, BIGINT)} OFFSET ${params.add(selection.offset ?? 0, BIGINT)}`;
      const rows = (await conn.runAndReadAll(sql, params.values, params.types)).getRows();
      return rows.map((r) => ({
        firstSeenMs: Number(r[0]),
        lastSeenMs: Number(r[1]),
        reason: r[2] as string,
        type: r[3] as Event['type'],
        involvedObject: { kind: r[4] as string, name: r[5] as string, namespace: r[6] as string, uid: r[7] as string },
        message: r[8] as string,
        count: r[9] as number,
        source: r[10] as string,
        labels: labelsOf(r[11] ?? null),
      }));
    });
  }

  labelNames(matchers: readonly LabelMatcher[] = []): Promise<string[]> {
    return this.timed('label_names', async (conn, tenantId) => {
      const params = new SqlParams();
      const inRange = this.seriesInRangeSql(params, tenantId, matchers);
      if (inRange === undefined) return [];
      const sql = `SELECT DISTINCT e.key AS k FROM (SELECT unnest(map_entries(labels)) AS e FROM series s WHERE ${inRange}) WHERE e.value <> '' ORDER BY k`;
      return stringColumn(await conn.runAndReadAll(sql, params.values, params.types));
    });
  }

  labelValues(name: string, matchers: readonly LabelMatcher[] = []): Promise<string[]> {
    return this.timed('label_values', async (conn, tenantId) => {
      const params = new SqlParams();
      const inRange = this.seriesInRangeSql(params, tenantId, matchers);
      if (inRange === undefined) return [];
      const sql = `SELECT DISTINCT v FROM (SELECT map_extract_value(labels, ${params.add(name, VARCHAR)}) AS v FROM series s WHERE ${inRange})
        WHERE v IS NOT NULL AND v <> '' ORDER BY v`;
      return stringColumn(await conn.runAndReadAll(sql, params.values, params.types));
    });
  }

  logLabelNames(): Promise<string[]> {
    return this.timed('log_label_names', async (conn, tenantId) => {
      const params = new SqlParams();
      const streams = this.streamsInRangeSql(params, tenantId);
      if (streams === undefined) return [];
      const sql = `SELECT DISTINCT e.key AS k FROM (SELECT unnest(map_entries(labels)) AS e FROM log_streams WHERE ${streams}) WHERE e.value <> '' ORDER BY k`;
      return stringColumn(await conn.runAndReadAll(sql, params.values, params.types));
    });
  }

  logLabelValues(name: string): Promise<string[]> {
    return this.timed('log_label_values', async (conn, tenantId) => {
      const params = new SqlParams();
      const streams = this.streamsInRangeSql(params, tenantId);
      if (streams === undefined) return [];
      const sql = `SELECT DISTINCT v FROM (SELECT map_extract_value(labels, ${params.add(name, VARCHAR)}) AS v FROM log_streams WHERE ${streams})
        WHERE v IS NOT NULL AND v <> '' ORDER BY v`;
      return stringColumn(await conn.runAndReadAll(sql, params.values, params.types));
    });
  }

  metadata(metric?: string): Promise<MetricMetadata[]> {
    return this.timed('metadata', async (conn, tenantId) => {
      const params = new SqlParams();
      let sql = `SELECT metric, type, unit, help FROM metric_metadata WHERE tenant_id = ${params.add(tenantId, UINTEGER)}`;
      if (metric !== undefined) sql += ` AND metric = ${params.add(metric, VARCHAR)}`;
      const rows = (await conn.runAndReadAll(`${sql} ORDER BY metric`, params.values, params.types)).getRows();
      return rows.map((r) => ({ metricFamilyName: r[0] as string, type: r[1] as MetricType, unit: r[2] as string, help: r[3] as string }));
    });
  }

  // ---- helpers ----

  /** Runs one operation on a borrowed connection, timing it; an unknown tenant has no data. */
  private async timed<T extends unknown[]>(op: string, work: (conn: DuckDBConnection, tenantId: number) => Promise<T>): Promise<T> {
    const tenantId = this.ctx.state.tenantIds.get(this.tenant);
    if (tenantId === undefined) return [] as unknown as T;
    const end = this.ctx.metrics.queryDuration.startTimer({ op });
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.ctx.pool.use((conn) => work(conn, tenantId), this.options.signal);
        } catch (err) {
          // Retention may drop a partition between reading the catalog and running the query;
          // by now the catalog no longer lists it, so a retry reads what is left.
          if (!isDroppedPartition(err) || attempt === MAX_ATTEMPTS) throw err;
        }
      }
    } catch (err) {
      if (this.options.signal?.aborted === true) this.ctx.metrics.readsCanceled.inc({ op });
      throw asQueryError(err);
    } finally {
      end();
    }
  }

  /** UNION ALL of this tenant's samples in range from every overlapping partition. */
  private samplesUnion(params: SqlParams, tenantId: number, columns: string): string {
    const parts = this.ctx.state.catalog.overlapping('samples', this.minT, this.maxT);
    if (parts.length === 0) return `SELECT ${columns} FROM (SELECT NULL::UBIGINT AS series_id, NULL::BIGINT AS ts, NULL::DOUBLE AS value) WHERE FALSE`;
    const t = params.add(tenantId, UINTEGER);
    const from = params.add(this.minT, BIGINT);
    const to = params.add(this.maxT, BIGINT);
    return parts.map((p) => `SELECT ${columns} FROM ${p.table} WHERE tenant_id = ${t} AND ts BETWEEN ${from} AND ${to}`).join(' UNION ALL ');
  }

  /**
   * A query for the ids (series or streams) of this tenant with data in range, or undefined when
   * no partition overlaps. Partitions the range covers whole answer from their presence table;
   * only the (at most two) partly covered ones are scanned row by row.
   */
  private idsInRangeSql(kind: PartitionKind, params: SqlParams, tenantId: number): string | undefined {
    const parts = this.ctx.state.catalog.overlapping(kind, this.minT, this.maxT);
    if (parts.length === 0) return undefined;
    const id = presenceColumn(kind);
    const t = params.add(tenantId, UINTEGER);
    let bounds: [string, string] | undefined;
    const selects = parts.map((p) => {
      if (p.startMs >= this.minT && p.endMs - 1 <= this.maxT) return `SELECT ${id} FROM ${presenceTable(p)} WHERE tenant_id = ${t}`;
      bounds ??=
        kind === 'samples'
          ? [params.add(this.minT, BIGINT), params.add(this.maxT, BIGINT)]
          : [params.add(BigInt(this.minT) * NS_PER_MS, BIGINT), params.add(BigInt(this.maxT) * NS_PER_MS + NS_PER_MS - 1n, BIGINT)];
      return `SELECT ${id} FROM ${p.table} WHERE tenant_id = ${t} AND ${kind === 'samples' ? 'ts' : 'ts_ns'} BETWEEN ${bounds[0]} AND ${bounds[1]}`;
    });
    return selects.join(' UNION ALL ');
  }

  /** WHERE clause (over `series s`) for series of this tenant with samples in range; undefined when no partition overlaps. */
  private seriesInRangeSql(params: SqlParams, tenantId: number, matchers: readonly LabelMatcher[]): string | undefined {
    const ids = this.idsInRangeSql('samples', params, tenantId);
    if (ids === undefined) return undefined;
    const t = params.add(tenantId, UINTEGER);
    const match = matchersSql(matchers, params, seriesLabel);
    return `s.tenant_id = ${t} AND ${match} AND s.series_id IN (${ids})`;
  }

  private streamsInRangeSql(params: SqlParams, tenantId: number): string | undefined {
    const ids = this.idsInRangeSql('logs', params, tenantId);
    if (ids === undefined) return undefined;
    return `tenant_id = ${params.add(tenantId, UINTEGER)} AND stream_id IN (${ids})`;
  }

  /**
   * This tenant's series in range that match. `limit` keeps the first by id; `maxSeries` is a
   * limit that fails: the statement fetches one row more than it allows, and getting it rejects.
   * Reads ids only; label sets come from the label cache, and only the ones it lacks are read.
   */
  private async seriesInRange(conn: DuckDBConnection, tenantId: number, matchers: readonly LabelMatcher[], limit: number | undefined, maxSeries = Infinity): Promise<StoredSeries[]> {
    return sortByLabelSet(await this.withLabels(conn, tenantId, await this.seriesIdsInRange(conn, tenantId, matchers, limit, maxSeries)));
  }

  private async seriesIdsInRange(conn: DuckDBConnection, tenantId: number, matchers: readonly LabelMatcher[], limit: number | undefined, maxSeries = Infinity): Promise<bigint[]> {
    checkLimit(limit, 'series');
    if (maxSeries !== Infinity) checkLimit(maxSeries, 'max series');
    const params = new SqlParams();
    const where = this.seriesInRangeSql(params, tenantId, matchers);
    if (where === undefined || limit === 0) return [];
    let limitSql = '';
    if (limit !== undefined && limit <= maxSeries) limitSql = ` ORDER BY s.series_id LIMIT ${params.add(limit, BIGINT)}`;
    else if (maxSeries !== Infinity) limitSql = ` LIMIT ${params.add(maxSeries + 1, BIGINT)}`;
    const ids = await readIds(conn, `SELECT s.series_id FROM series s WHERE ${where}${limitSql}`, params);
    if (ids.length > maxSeries) throw tooManySeries(maxSeries);
    return ids;
  }

  /** The series of `ids` with their label sets: from the cache, reading the ones it lacks. */
  private async withLabels(conn: DuckDBConnection, tenantId: number, ids: readonly bigint[]): Promise<StoredSeries[]> {
    const cache = this.ctx.labels;
    const out: StoredSeries[] = [];
    const missing: number[] = []; // indexes into ids and out
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as bigint;
      const hit = cache.get(tenantId, id);
      if (hit === undefined) missing.push(i);
      out.push({ id, labels: hit?.labels ?? {} });
    }
    if (missing.length === 0) return out;
    const params = new SqlParams();
    // to_json turns the map into one string: parsed at once, far cheaper than reading a MAP item by item.
    const sql = `SELECT series_id, to_json(labels)::VARCHAR FROM series
      WHERE tenant_id = ${params.add(tenantId, UINTEGER)} AND series_id IN (SELECT unnest(${params.add(listValue(missing.map((i) => ids[i] as bigint)), LIST(UBIGINT))}))`;
    const fetched = new Map<bigint, Labels>();
    for (const [id, json] of (await conn.runAndReadAll(sql, params.values, params.types)).getRows()) {
      fetched.set(id as bigint, cache.add(tenantId, id as bigint, JSON.parse(json as string) as Labels).labels);
    }
    for (const i of missing) out[i] = { id: ids[i] as bigint, labels: fetched.get(ids[i] as bigint) ?? {} };
    return out;
  }

}
