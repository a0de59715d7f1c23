import type { Partition } from './partitions.js';
import { presenceColumn, presenceTable } from './partitions.js';

/**
 * The DuckDB schema. Small dimension tables (tenants, series, log streams, metadata, offsets,
 * events) are single tables; the two large fact tables (samples, logs) are one table per time
 * window, created on first write (see partitions.ts).
 *
 * Tenants are stored once, in `tenants`, and referenced by a UINTEGER id: a fixed-width id is
 * what lets a batch of samples be appended as plain numeric vectors (no string per row).
 * Series and stream ids are core's seriesId() of their labels, so two tenants that send the same
 * label set share an id: every table that holds an id also holds tenant_id (and is keyed by both),
 * and every read filters on tenant_id, so an id never reaches another tenant's rows.
 * Labels are a MAP so that a
 * matcher is one map lookup, and the metric name has its own column because nearly every
 * query matches on it.
 */
export const baseSchema: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS tenants (
     id UINTEGER PRIMARY KEY,
     name VARCHAR NOT NULL UNIQUE)`,
  `CREATE TABLE IF NOT EXISTS series (
     tenant_id UINTEGER NOT NULL,
     series_id UBIGINT NOT NULL,
     metric VARCHAR NOT NULL,
     labels MAP(VARCHAR, VARCHAR) NOT NULL,
     PRIMARY KEY (tenant_id, series_id))`,
  `CREATE TABLE IF NOT EXISTS log_streams (
     tenant_id UINTEGER NOT NULL,
     stream_id UBIGINT NOT NULL,
     labels MAP(VARCHAR, VARCHAR) NOT NULL,
     PRIMARY KEY (tenant_id, stream_id))`,
  `CREATE TABLE IF NOT EXISTS metric_metadata (
     tenant_id UINTEGER NOT NULL,
     metric VARCHAR NOT NULL,
     type VARCHAR NOT NULL,
     unit VARCHAR NOT NULL,
     help VARCHAR NOT NULL,
     PRIMARY KEY (tenant_id, metric))`,
  `CREATE TABLE IF NOT EXISTS events (
     tenant_id UINTEGER NOT NULL,
     first_seen_ms BIGINT NOT NULL,
     last_seen_ms BIGINT NOT NULL,
     reason VARCHAR NOT NULL,
     type VARCHAR NOT NULL,
     object_kind VARCHAR NOT NULL,
     object_name VARCHAR NOT NULL,
     object_namespace VARCHAR NOT NULL,
     object_uid VARCHAR NOT NULL,
     message VARCHAR NOT NULL,
     count INTEGER NOT NULL,
     source VARCHAR NOT NULL,
     labels MAP(VARCHAR, VARCHAR) NOT NULL)`,
  // Append-only: each commit appends its offsets with its commit number, and the newest row per
  // group and partition is the committed offset. An UPDATE (or upsert) per commit costs DuckDB
  // several milliseconds of CPU; an appended row costs next to nothing. Retention prunes old rows.
  `CREATE TABLE IF NOT EXISTS consumer_offsets (
     consumer_group VARCHAR NOT NULL,
     topic_partition VARCHAR NOT NULL,
     next_offset BIGINT NOT NULL,
     commit_seq BIGINT NOT NULL)`,
];

/** DDL of one partition table and its presence table; names come from partitions.ts (digits only). */
export function partitionDdl(p: Partition): string[] {
  const presence = `CREATE TABLE IF NOT EXISTS ${presenceTable(p)} (
    tenant_id UINTEGER NOT NULL,
    ${presenceColumn(p.kind)} UBIGINT NOT NULL)`;
  if (p.kind === 'samples') return [samplesTableDdl(p.table), presence];
  return [
    `CREATE TABLE IF NOT EXISTS ${p.table} (
      tenant_id UINTEGER NOT NULL,
      stream_id UBIGINT NOT NULL,
      ts_ns BIGINT NOT NULL,
      observed_ns BIGINT NOT NULL,
      severity_number UTINYINT NOT NULL,
      severity_text VARCHAR NOT NULL,
      body VARCHAR NOT NULL,
      attributes JSON NOT NULL,
      resource JSON NOT NULL,
      trace_id VARCHAR NOT NULL,
      span_id VARCHAR NOT NULL)`,
    presence,
  ];
}

/** A samples table; column order is the appender's chunk layout (see batchWriter.ts). */
export function samplesTableDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
    tenant_id UINTEGER NOT NULL,
    series_id UBIGINT NOT NULL,
    ts BIGINT NOT NULL,
    value DOUBLE NOT NULL)`;
}

/** Marks a samples partition rewritten in (tenant, series, time) order (see partitionSorter.ts). */
export const SORTED_COMMENT = 'sorted by series';
