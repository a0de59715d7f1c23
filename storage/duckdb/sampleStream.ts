import type { DuckDBConnection } from '@duckdb/node-api';
import { tooManySamples } from '../readErrors.js';
import { SeriesColumns } from './seriesColumns.js';
import { bigUint64Column, float64Column, int32Column } from './vectorArrays.js';
import type { SqlParams } from './sqlParams.js';

/** What streamSamples needs besides the statement. */
export interface SampleStreamOptions {
  /** Rows the statement can refer to by index: column 0 of each row is one of 0..seriesCount-1. */
  readonly seriesCount: number;
  /** Most rows to accept; one more rejects with tooManySamples(). */
  readonly maxSamples: number;
  readonly signal: AbortSignal | undefined;
  /** Called with each chunk's row count (the samples-read metric). */
  onRows(n: number): void;
}

/**
 * Runs a statement whose rows are (series index INTEGER, time DOUBLE, value DOUBLE) and gathers
 * them into columns per series. Streamed chunk by chunk (2048 rows each), so converting a large
 * result never holds the event loop for long, and a read over its sample budget stops at the
 * first chunk past it: the statement is interrupted, DuckDB stops producing rows nobody will
 * fetch. Each chunk's columns are read as typed arrays (vectorArrays.ts): no object per row.
 * None of the three columns can be NULL (series index from the id list, ts and value NOT NULL).
 *
 * Resolves early (with what it has) when the signal aborts; the caller (ConnectionPool.use)
 * turns that into the abort error.
 */
export async function streamSamples(conn: DuckDBConnection, sql: string, params: SqlParams, opts: SampleStreamOptions): Promise<SeriesColumns> {
  const columns = new SeriesColumns(opts.seriesCount);
  const result = await conn.stream(sql, params.values, params.types);
  let loaded = 0;
  for (;;) {
    // Checked per chunk as well: an interrupt that lands while DuckDB is still starting the
    // stream can be lost (seen: a second canceled query on a connection kept streaming for
    // seconds).
    if (opts.signal?.aborted === true) {
      conn.interrupt();
      break;
    }
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    loaded += rows;
    opts.onRows(rows);
    if (loaded > opts.maxSamples) {
      conn.interrupt();
      throw tooManySamples();
    }
    columns.appendChunk(int32Column(chunk.getColumnVector(0), rows), float64Column(chunk.getColumnVector(1), rows), float64Column(chunk.getColumnVector(2), rows), rows);
  }
  return columns;
}

/** The first column (UBIGINT, never NULL) of every row of a statement: series or stream ids. */
export async function readIds(conn: DuckDBConnection, sql: string, params: SqlParams): Promise<bigint[]> {
  const result = await conn.stream(sql, params.values, params.types);
  const ids: bigint[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const column = bigUint64Column(chunk.getColumnVector(0), chunk.rowCount);
    for (let i = 0; i < chunk.rowCount; i++) ids.push(column[i] as bigint);
  }
  return ids;
}
