import type { DuckDBConnection } from '@duckdb/node-api';
import { BIGINT, UINTEGER } from '@duckdb/node-api';
import type { CardinalityStats, NamedCount } from '../store.js';
import { checkLimit } from './queryErrors.js';
import type { Partition } from './partitions.js';
import { SqlParams } from './sqlParams.js';

/**
 * One tenant's cardinality (Store.cardinality), read from the `series` table: its labels MAP
 * holds every pair, `__name__` included, so one pass over the tenant's series gives the count
 * of each name=value pair, and every list is an aggregate of those counts. The sample time
 * bounds come from the samples partitions. The tenant id and the limit are bound parameters;
 * table names are the catalog's (integers only).
 */
export async function readCardinality(conn: DuckDBConnection, tenantId: number, samples: readonly Partition[], limit: number): Promise<CardinalityStats> {
  checkLimit(limit, 'cardinality');
  const params = new SqlParams();
  const tenant = params.add(tenantId, UINTEGER);
  const top = params.add(BigInt(limit), BIGINT);
  // Pairs and their series counts, as a temporary result each list below reads.
  const pairs = `pairs AS (
    SELECT e.key AS name, e.value AS value, count(*) AS series
    FROM (SELECT unnest(map_entries(labels)) AS e FROM series WHERE tenant_id = ${tenant})
    GROUP BY ALL)`;
  const list = (select: string): string => `(SELECT coalesce(list({'name': name, 'value': n} ORDER BY n DESC, name), []) FROM (${select} ORDER BY n DESC, name LIMIT ${top}))`;
  const sql = `WITH ${pairs}
    SELECT
      (SELECT count(*) FROM series WHERE tenant_id = ${tenant}),
      (SELECT count(*) FROM pairs),
      ${list(`SELECT value AS name, series AS n FROM pairs WHERE name = '__name__'`)},
      ${list('SELECT name, count(*) AS n FROM pairs GROUP BY name')},
      ${list('SELECT name, sum(strlen(value) * series) AS n FROM pairs GROUP BY name')},
      ${list(`SELECT name || '=' || value AS name, series AS n FROM pairs`)}`;
  const row = (await conn.runAndReadAll(sql, params.values, params.types)).getRowsJS()[0] ?? [];
  const [minTimeMs, maxTimeMs] = await timeBounds(conn, tenantId, samples);
  return {
    numSeries: Number(row[0] ?? 0),
    numLabelPairs: Number(row[1] ?? 0),
    minTimeMs,
    maxTimeMs,
    seriesCountByMetricName: counts(row[2]),
    labelValueCountByLabelName: counts(row[3]),
    memoryInBytesByLabelName: counts(row[4]),
    seriesCountByLabelValuePair: counts(row[5]),
  };
}

/** The earliest and latest sample of the tenant, over every samples partition. */
async function timeBounds(conn: DuckDBConnection, tenantId: number, samples: readonly Partition[]): Promise<[number | undefined, number | undefined]> {
  if (samples.length === 0) return [undefined, undefined];
  const params = new SqlParams();
  const tenant = params.add(tenantId, UINTEGER);
  const union = samples.map((p) => `SELECT min(ts) AS lo, max(ts) AS hi FROM ${p.table} WHERE tenant_id = ${tenant}`).join(' UNION ALL ');
  const row = (await conn.runAndReadAll(`SELECT min(lo), max(hi) FROM (${union})`, params.values, params.types)).getRowsJS()[0] ?? [];
  const asMs = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
  return [asMs(row[0]), asMs(row[1])];
}

function counts(value: unknown): NamedCount[] {
  if (!Array.isArray(value)) return [];
  return value.map((e) => {
    const { name, value: n } = e as { name: unknown; value: unknown };
    return { name: String(name), value: Number(n) };
  });
}
