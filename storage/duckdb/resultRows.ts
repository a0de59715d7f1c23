import type { DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { DuckDBMapValue } from '@duckdb/node-api';
import type { Labels } from '../../core/index.js';
import { sortedLabelPairs } from '../../core/index.js';

/** Turning DuckDB result values into the Store contract's shapes. */

export function labelsOf(value: DuckDBValue): Labels {
  const out: Record<string, string> = {};
  if (value instanceof DuckDBMapValue) for (const e of value.entries) out[String(e.key)] = String(e.value);
  return out;
}

/** The first column of a result as strings (a result with no rows has no columns at all). */
export function stringColumn(reader: DuckDBResultReader): string[] {
  return (reader.getColumns()[0] ?? []) as string[];
}

/** Sorts series in Prometheus' order (by sorted label pairs), sorting each label set only once. */
export function sortSeries<T extends { readonly labels: Labels }>(series: T[]): T[] {
  const keyed = series.map((s) => ({ s, pairs: sortedLabelPairs(s.labels) }));
  keyed.sort((a, b) => comparePairs(a.pairs, b.pairs));
  return keyed.map((k) => k.s);
}

function comparePairs(pa: ReadonlyArray<[string, string]>, pb: ReadonlyArray<[string, string]>): number {
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [ka, va] = pa[i] as [string, string];
    const [kb, vb] = pb[i] as [string, string];
    if (ka !== kb) return ka < kb ? -1 : 1;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return pa.length - pb.length;
}
