import { quote, VigilError } from '../../core/index.js';
import type { LabelMatcher } from '../matchers.js';
import { checkedRegex } from '../matchers.js';
import { anchoredPattern, regexSyntaxError } from '../regex.js';
import type { LogLineMatch, LogScan } from '../store.js';

/**
 * LogQL's pushed-down stages as SQL, written once for every SQL store: what differs between
 * DuckDB and ClickHouse (placeholders, function names, map lookups) is a small dialect object,
 * as in qryn's planner. Every caller value (label names and values, line filter strings,
 * regexes, times, ids) is a bound parameter; the only text spliced in is a partition's table
 * name, which partitions.ts builds from integers.
 */

/** The types a parameter can have. */
export type SqlParamType = 'varchar' | 'bigint' | 'uinteger' | 'ubigint[]';

export interface SqlParam {
  readonly value: string | bigint | number | readonly bigint[];
  readonly type: SqlParamType;
}

/** A statement and the values of its placeholders, in order. */
export interface BoundSql {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/** What one SQL engine spells differently. Each member returns an SQL expression. */
export interface LogSqlDialect {
  /** The placeholder of the parameter at `index` (0-based). */
  placeholder(index: number, type: SqlParamType): string;
  /** True when `haystack` contains `needle` as a substring (byte-wise, case-sensitive). */
  contains(haystack: string, needle: string): string;
  /** True when the RE2 `pattern` matches somewhere in `text`. */
  regexFind(text: string, pattern: string): string;
  /** True when the RE2 `pattern` matches all of `text`. */
  regexFullMatch(text: string, pattern: string): string;
  /** A stream label's value from the `labels` map column, '' when absent. */
  labelValue(name: string): string;
  /** The length of a string in bytes (UTF-8); DuckDB strlen() counts bytes. */
  byteLength(text: string): string;
  /** True when `column` is one of the ids in the list parameter `list`. */
  inList(column: string, list: string): string;
}

/** Collects parameters while a statement is built. */
class Params {
  readonly list: SqlParam[] = [];
  constructor(private readonly dialect: LogSqlDialect) {}

  add(value: SqlParam['value'], type: SqlParamType): string {
    this.list.push({ value, type });
    return this.dialect.placeholder(this.list.length - 1, type);
  }
}

/**
 * The streams of one tenant whose labels satisfy every matcher (Prometheus' semantics: an
 * absent label reads as '', regexes fully anchored): rows (stream_id, labels).
 */
export function streamsSql(dialect: LogSqlDialect, tenantId: number, matchers: readonly LabelMatcher[]): BoundSql {
  const p = new Params(dialect);
  const where = [`tenant_id = ${p.add(tenantId, 'uinteger')}`, ...matchers.map((m) => matcherSql(dialect, p, m))];
  return { sql: `SELECT stream_id, labels FROM log_streams WHERE ${where.join(' AND ')} ORDER BY stream_id`, params: p.list };
}

/**
 * One partition's lines of the given streams that pass the scan's line filters, in the scan's
 * order: rows (stream_id, ts_ns, body), body '' when the scan is withText: false. `limit` is what is still wanted (absent: all).
 */
export function linesSql(dialect: LogSqlDialect, table: string, tenantId: number, streamIds: readonly bigint[], scan: LogScan, limit: number | undefined): BoundSql {
  if (!/^logs_p[n0-9_]+$/.test(table)) throw new VigilError('internal', `not a logs partition: ${quote(table)}`);
  const p = new Params(dialect);
  const where = [
    `tenant_id = ${p.add(tenantId, 'uinteger')}`,
    `ts_ns BETWEEN ${p.add(scan.startNs, 'bigint')} AND ${p.add(scan.endNs, 'bigint')}`,
    dialect.inList('stream_id', p.add(streamIds, 'ubigint[]')),
    ...scan.lineFilters.map((f) => lineFilterSql(dialect, p, f)),
  ];
  const order = scan.direction === 'forward' ? 'ASC' : 'DESC';
  const limitSql = limit === undefined ? '' : ` LIMIT ${p.add(BigInt(limit), 'bigint')}`;
  // Reading the text is most of a scan's cost; a caller that only counts lines skips it.
  const text = scan.withText === false ? "''" : 'body';
  return { sql: `SELECT stream_id, ts_ns, ${text} FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ts_ns ${order}, stream_id ${order}${limitSql}`, params: p.list };
}

function lineFilterSql(dialect: LogSqlDialect, p: Params, f: LogLineMatch): string {
  if (f.values.length === 0) throw new VigilError('bad_data', `line filter ${f.op} needs at least one value`);
  const negated = f.op === '!=' || f.op === '!~';
  const regex = f.op === '|~' || f.op === '!~';
  const each = f.values.map((v) => (regex ? dialect.regexFind('body', p.add(findPattern(v), 'varchar')) : dialect.contains('body', p.add(v, 'varchar'))));
  const any = each.length === 1 ? (each[0] as string) : `(${each.join(' OR ')})`;
  return negated ? `NOT ${any}` : any;
}

/**
 * An unanchored line-filter regex as both engines run it: validated as RE2 first (so that an
 * unbalanced `)` cannot escape the group), `.` not matching a newline, as in Go.
 */
export function findPattern(source: string): string {
  const error = regexSyntaxError(source);
  if (error !== undefined) throw new VigilError('bad_data', `invalid regular expression in line filter ${quote(source)}: ${error}`);
  return `(?-s)(?:${source})`;
}

function matcherSql(dialect: LogSqlDialect, p: Params, m: LabelMatcher): string {
  const value = dialect.labelValue(p.add(m.name, 'varchar'));
  switch (m.type) {
    case '=':
      return `${value} = ${p.add(m.value, 'varchar')}`;
    case '!=':
      return `${value} <> ${p.add(m.value, 'varchar')}`;
    case '=~':
    case '!~': {
      checkedRegex(m);
      const test = dialect.regexFullMatch(value, p.add(anchoredPattern(m.value), 'varchar'));
      return m.type === '=~' ? test : `NOT ${test}`;
    }
    default:
      throw new VigilError('bad_data', `unknown matcher type ${JSON.stringify((m as { type: unknown }).type)}`);
  }
}

/** One partition's lines and line bytes per stream, for the given streams in [startNs, endNs]: rows (stream_id, lines, bytes). */
export function statsSql(dialect: LogSqlDialect, table: string, tenantId: number, streamIds: readonly bigint[], startNs: bigint, endNs: bigint): BoundSql {
  if (!/^logs_p[n0-9_]+$/.test(table)) throw new VigilError('internal', `not a logs partition: ${quote(table)}`);
  const p = new Params(dialect);
  const where = [`tenant_id = ${p.add(tenantId, 'uinteger')}`, `ts_ns BETWEEN ${p.add(startNs, 'bigint')} AND ${p.add(endNs, 'bigint')}`, dialect.inList('stream_id', p.add(streamIds, 'ubigint[]'))];
  return { sql: `SELECT stream_id, count(*), sum(${dialect.byteLength('body')}) FROM ${table} WHERE ${where.join(' AND ')} GROUP BY stream_id`, params: p.list };
}
