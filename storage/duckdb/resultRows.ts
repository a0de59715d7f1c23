import type { DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { DuckDBMapValue } from '@duckdb/node-api';
import type { Labels } from '../../core/index.js';

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
