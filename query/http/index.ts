export { prometheusApi } from './plugin.js';
export type { PrometheusApiOptions } from './plugin.js';
export type { BuildInfo } from './metadataRoutes.js';
export { MAX_POINTS_PER_SERIES } from './queryRoutes.js';
export { formatSampleValue, formatTimestamp } from './promJson.js';
export { parseTimeMs, parseDurationParamMs, MIN_TIME_MS, MAX_TIME_MS } from './params.js';
export { Semaphore } from './semaphore.js';
export { QueryLimiter } from './queryLimiter.js';
export type { Release } from './semaphore.js';
