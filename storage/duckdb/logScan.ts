import type { DuckDBConnection } from '@duckdb/node-api';
import { VigilError } from '../../core/index.js';
import { linesSql, statsSql, streamsSql } from '../logs/logScanSql.js';
import type { Labels } from '../../core/index.js';
import type { LabelMatcher } from '../matchers.js';
import type { LogScan, LogStats, ScannedLine, ScanSink } from '../store.js';
import { duckDbLogDialect, duckDbParams } from './duckDbLogDialect.js';
import type { PartitionCatalog } from './partitions.js';
import { labelsOf } from './resultRows.js';

const NS_PER_MS = 1_000_000n;

/**
 * Querier.scanLogs on DuckDB: the tenant's matching streams first (their labels travel with the
 * lines), then the partitions the range overlaps one at a time in the scan's direction (they are
 * disjoint in time, so that is global time order), each streamed chunk by chunk. A limit or a
 * sink that has seen enough stops before the next chunk or partition is read.
 */
export async function scanLogs(conn: DuckDBConnection, catalog: PartitionCatalog, tenantId: number, scan: LogScan, sink: ScanSink, signal: AbortSignal | undefined): Promise<void> {
  if (scan.limit !== undefined && (!Number.isSafeInteger(scan.limit) || scan.limit < 0)) throw new VigilError('bad_data', `log limit ${String(scan.limit)} is not a non-negative integer`);
  if (scan.limit === 0 || scan.endNs < scan.startNs) return;
  const parts = catalog.overlapping('logs', Number(scan.startNs / NS_PER_MS), Number(scan.endNs / NS_PER_MS));
  if (parts.length === 0) return;
  const labels = await matchingStreams(conn, tenantId, scan.matchers);
  if (labels.size === 0) return;
  const ids = [...labels.keys()];
  if (scan.direction === 'backward') parts.reverse();
  let wanted = scan.limit;
  for (const part of parts) {
    const bound = linesSql(duckDbLogDialect, part.table, tenantId, ids, scan, wanted);
    const p = duckDbParams(bound);
    const result = await conn.stream(bound.sql, p.values, p.types);
    for (;;) {
      if (signal?.aborted === true) {
        conn.interrupt();
        return;
      }
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const batch: ScannedLine[] = chunk.getRows().map((r) => ({ streamId: r[0] as bigint, labels: labels.get(r[0] as bigint) ?? {}, timeNs: r[1] as bigint, line: r[2] as string }));
      if (wanted !== undefined) wanted -= batch.length;
      let more: boolean;
      try {
        more = sink(batch);
      } catch (err) {
        // The caller failed (a pipeline error, a limit): nobody will fetch the rest.
        conn.interrupt();
        throw err;
      }
      if (!more || wanted === 0) {
        conn.interrupt();
        return;
      }
    }
  }
}

/** The tenant's streams whose labels satisfy the matchers, by id. */
export async function matchingStreams(conn: DuckDBConnection, tenantId: number, matchers: readonly LabelMatcher[]): Promise<Map<bigint, Labels>> {
  const streams = streamsSql(duckDbLogDialect, tenantId, matchers);
  const sp = duckDbParams(streams);
  const labels = new Map<bigint, Labels>();
  for (const row of (await conn.runAndReadAll(streams.sql, sp.values, sp.types)).getRows()) labels.set(row[0] as bigint, labelsOf(row[1] ?? null));
  return labels;
}

/** Querier.logStats on DuckDB: per partition and stream (a "chunk"), lines and bytes, summed. */
export async function logStats(conn: DuckDBConnection, catalog: PartitionCatalog, tenantId: number, matchers: readonly LabelMatcher[], startNs: bigint, endNs: bigint): Promise<LogStats> {
  const stats = { streams: 0, chunks: 0, entries: 0, bytes: 0 };
  if (endNs < startNs) return stats;
  const labels = await matchingStreams(conn, tenantId, matchers);
  if (labels.size === 0) return stats;
  const seen = new Set<bigint>();
  const ids = [...labels.keys()];
  for (const part of catalog.overlapping('logs', Number(startNs / NS_PER_MS), Number(endNs / NS_PER_MS))) {
    const bound = statsSql(duckDbLogDialect, part.table, tenantId, ids, startNs, endNs);
    const p = duckDbParams(bound);
    for (const row of (await conn.runAndReadAll(bound.sql, p.values, p.types)).getRows()) {
      seen.add(row[0] as bigint);
      stats.chunks++;
      stats.entries += Number(row[1]);
      stats.bytes += Number(row[2]);
    }
  }
  stats.streams = seen.size;
  return stats;
}
