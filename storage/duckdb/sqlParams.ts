import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';

/**
 * Positional parameters for one statement. Every value that comes from a caller goes through
 * here and is bound, never spliced into the SQL text; only table names (built from integers)
 * and fixed column names are.
 */
export class SqlParams {
  readonly values: DuckDBValue[] = [];
  readonly types: DuckDBType[] = [];

  /** Adds a value and returns its placeholder, e.g. "$3". */
  add(value: DuckDBValue, type: DuckDBType): string {
    this.values.push(value);
    this.types.push(type);
    return `$${this.values.length}`;
  }
}
