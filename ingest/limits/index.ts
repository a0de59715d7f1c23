/** Per-tenant ingest limits: the rate (token bucket) and active series, applied by the push pipeline. */
export { ActiveSeriesTable } from './activeSeriesTable.js';
export { filterSampleColumns } from './filterColumns.js';
export type { FilteredColumns } from './filterColumns.js';
export { IngestLimiter } from './ingestLimiter.js';
export type { IngestLimiterOptions, LimitedWrite } from './ingestLimiter.js';
export type { IngestLimitReason } from './limitMetrics.js';
export { seriesIdWordsOf } from './seriesIdWords.js';
export { TokenBucket } from './tokenBucket.js';
export type { TakeResult } from './tokenBucket.js';
