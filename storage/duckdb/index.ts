/**
 * The embedded store: DuckDB in one file (`<dataDir>/vigil.duckdb` + its `.wal`).
 *
 * Layout (schema.ts): tenants get a small integer id; `series` and `log_streams` hold each label
 * set once (id = core's seriesId()); samples and logs live in one table per time window
 * (`samples_p<start>_<end>`, `logs_p<start>_<end>`, see partitions.ts), each with a presence
 * table listing the series or streams it holds; events, metric metadata and consumer offsets are
 * single tables. Retention drops whole windows; a window that time has moved past is rewritten
 * once in (tenant, series, time) order so per-series scans skip most of it.
 *
 * Writes: an appender buffers a batch in memory; commit() writes it in one transaction on the
 * single write connection through DuckDB's appender (columnar data chunks), offsets included.
 * Reads: queriers borrow a pooled read connection and bind every caller value as a parameter.
 */
export { DuckDbStore } from './duckDbStore.js';
export type { DuckDbStoreOptions } from './duckDbStore.js';
export { bigUint64Column, float64Column, int32Column } from './vectorArrays.js';
export { DEFAULT_LABEL_CACHE_SERIES, SeriesLabelCache } from './seriesLabelCache.js';
export { samplesTableDdl, SORTED_COMMENT } from './schema.js';
export { SeriesColumns } from './seriesColumns.js';
export { duckDbLogDialect } from './duckDbLogDialect.js';
