import { VARCHAR } from '@duckdb/node-api';
import { METRIC_NAME, VigilError } from '../../core/index.js';
import type { LabelMatcher } from '../matchers.js';
import { checkedRegex } from '../matchers.js';
import { anchoredPattern } from '../regex.js';
import type { SqlParams } from './sqlParams.js';

/**
 * Label matchers as SQL predicates over a `labels MAP(VARCHAR, VARCHAR)` column, with
 * Prometheus' semantics: an absent label reads as '', regular expressions are RE2 (the syntax
 * Prometheus uses, and DuckDB's), checked with the same validation as the in-memory matcher
 * before any SQL runs, and sent as the same anchored pattern (storage/regex.ts), so DuckDB and
 * compileMatcher agree on every value.
 */

/**
 * The SQL expression for a label's value in one table. `fromMap` yields the lookup in the
 * labels map (binding the name as a parameter); a table may serve some names from columns.
 */
export type LabelValueSql = (name: string, fromMap: () => string) => string;

export const seriesLabel: LabelValueSql = (name, fromMap) => (name === METRIC_NAME ? 'metric' : `coalesce(${fromMap()}, '')`);
export const mapLabel: LabelValueSql = (_name, fromMap) => `coalesce(${fromMap()}, '')`;

export function matcherSql(m: LabelMatcher, params: SqlParams, label: LabelValueSql): string {
  if (typeof m.name !== 'string' || typeof m.value !== 'string') throw new VigilError('bad_data', 'a label matcher needs a string name and value');
  const expr = label(m.name, () => `map_extract_value(labels, ${params.add(m.name, VARCHAR)})`);
  switch (m.type) {
    case '=':
      return `${expr} = ${params.add(m.value, VARCHAR)}`;
    case '!=':
      return `${expr} <> ${params.add(m.value, VARCHAR)}`;
    case '=~':
      return `regexp_full_match(${expr}, ${regexParam(m, params)})`;
    case '!~':
      return `NOT regexp_full_match(${expr}, ${regexParam(m, params)})`;
    default:
      throw new VigilError('bad_data', `unknown matcher type ${JSON.stringify((m as { type: unknown }).type)} for label ${m.name}`);
  }
}

/** The matcher's pattern as a bound parameter; throws 'bad_data' naming the matcher when it is not valid RE2. */
function regexParam(m: LabelMatcher, params: SqlParams): string {
  checkedRegex(m);
  return params.add(anchoredPattern(m.value), VARCHAR);
}

/** All matchers ANDed ('TRUE' when there are none). */
export function matchersSql(matchers: readonly LabelMatcher[], params: SqlParams, label: LabelValueSql): string {
  if (matchers.length === 0) return 'TRUE';
  return matchers.map((m) => `(${matcherSql(m, params, label)})`).join(' AND ');
}
