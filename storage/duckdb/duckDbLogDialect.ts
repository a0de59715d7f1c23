import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { BIGINT, LIST, listValue, UBIGINT, UINTEGER, VARCHAR } from '@duckdb/node-api';
import type { BoundSql, LogSqlDialect, SqlParamType } from '../logs/logScanSql.js';

/** DuckDB's spelling of the log scan (storage/logs/logScanSql.ts). */
export const duckDbLogDialect: LogSqlDialect = {
  placeholder: (index) => `$${index + 1}`,
  // contains() is DuckDB's memchr-based substring search; LIKE '%x%' would need escaping.
  contains: (haystack, needle) => `contains(${haystack}, ${needle})`,
  regexFind: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
  regexFullMatch: (text, pattern) => `regexp_full_match(${text}, ${pattern})`,
  labelValue: (name) => `coalesce(map_extract_value(labels, ${name}), '')`,
  byteLength: (text) => `strlen(${text})`,
  inList: (column, list) => `${column} IN (SELECT unnest(${list}))`,
};

const types: Record<SqlParamType, DuckDBType> = { varchar: VARCHAR, bigint: BIGINT, uinteger: UINTEGER, 'ubigint[]': LIST(UBIGINT) };

/** A bound statement's values and types as @duckdb/node-api takes them. */
export function duckDbParams(bound: BoundSql): { values: DuckDBValue[]; types: DuckDBType[] } {
  return {
    values: bound.params.map((p) => (Array.isArray(p.value) ? listValue([...(p.value as readonly bigint[])]) : (p.value as DuckDBValue))),
    types: bound.params.map((p) => types[p.type]),
  };
}
