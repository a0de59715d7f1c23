/**
 * LogQL, the log query language of Loki 2.9/3.x: syntax (parser.ts → ast.ts), the pipeline of
 * stages run in process (pipeline.ts), the split between what the store runs as SQL and what
 * runs here (plan.ts), and evaluation of log and metric queries (logQuery.ts, metricQuery.ts).
 */
export type * from './ast.js';
export { rangeAggregations } from './ast.js';
export { parseLogql, MAX_QUERY_LENGTH } from './parser.js';
export { LogqlParseError } from './parseError.js';
