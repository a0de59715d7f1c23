/**
 * LogQL, the log query language of Loki 2.9/3.x: syntax (parser.ts → ast.ts), the pipeline of
 * stages run in process (pipeline.ts), the split between what the store runs as SQL and what
 * runs here (plan.ts), and evaluation of log and metric queries (logQuery.ts, metricQuery.ts).
 */
export type * from './ast.js';
export { rangeAggregations } from './ast.js';
export { parseLogql, MAX_QUERY_LENGTH } from './parser.js';
export { LogqlParseError } from './parseError.js';
export { evalLogQuery, labelsKey } from './logQuery.js';
export type { LogQueryRange, LogStream } from './logQuery.js';
export { evalMetricQuery } from './metricQuery.js';
export type { MetricQueryOptions } from './metricQuery.js';
export { planLog } from './plan.js';
export type { LogPlan } from './plan.js';
export { compilePipeline } from './pipeline.js';
export { promqlText } from './promqlText.js';
export { detectPatterns, MAX_PATTERN_LINES } from './patterns/detectPatterns.js';
export type { DetectedPattern } from './patterns/detectPatterns.js';
export { Drain, WILDCARD } from './patterns/drain.js';
