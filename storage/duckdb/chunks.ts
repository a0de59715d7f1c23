import type { DuckDBAppender, DuckDBType, DuckDBVector } from '@duckdb/node-api';
import { DuckDBDataChunk } from '@duckdb/node-api';

/** Rows per data chunk: DuckDB's vector size (2048). */
const CHUNK_ROWS = 2048;
/** Chunks appended between yields to the event loop (16k rows: about a millisecond of work). */
const CHUNKS_PER_YIELD = 8;

/** Fills rows [from, from + n) of the batch into chunk rows [0, n). */
export type ChunkFiller = (vectors: readonly DuckDBVector[], from: number, n: number) => void;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Appends `rowCount` rows column by column: one data chunk is filled per 2048 rows and handed to
 * the appender whole, which is DuckDB's fastest way in from JavaScript. Appending is synchronous
 * native work, so it flushes and yields to the event loop now and then to keep pauses short.
 */
export async function appendInChunks(appender: DuckDBAppender, types: readonly DuckDBType[], rowCount: number, fill: ChunkFiller): Promise<void> {
  if (rowCount === 0) return;
  const chunk = DuckDBDataChunk.create([...types]);
  let chunksSinceYield = 0;
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rowCount - from);
    chunk.reset();
    chunk.rowCount = n;
    const vectors: DuckDBVector[] = [];
    for (let c = 0; c < types.length; c++) vectors.push(chunk.getColumnVector(c));
    fill(vectors, from, n);
    for (const v of vectors) v.flush();
    appender.appendDataChunk(chunk);
    if (++chunksSinceYield === CHUNKS_PER_YIELD) {
      chunksSinceYield = 0;
      // The appender buffers rows and writes them to the table when flushed, synchronously:
      // flushing a little at a time keeps each pause to a few milliseconds (closing the
      // appender with 100k rows buffered takes 10-20 ms in one go).
      appender.flushSync();
      await yieldToEventLoop();
    }
  }
}
