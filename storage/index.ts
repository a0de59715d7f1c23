export type * from './store.js';
export * from './matchers.js';
export { anchoredPattern, regexSyntaxError } from './regex.js';
export { abortError, isTooManySamples, isTooManySeries, throwIfAborted, tooManySamples, tooManySeries, TOO_MANY_SAMPLES } from './readErrors.js';
export { findPattern, linesSql, streamsSql } from './logs/logScanSql.js';
export type { BoundSql, LogSqlDialect, SqlParam, SqlParamType } from './logs/logScanSql.js';
