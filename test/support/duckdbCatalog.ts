import { DuckDBInstance } from '@duckdb/node-api';

/** The partition tables DuckDB's own catalog lists, read from a closed database file. */
export async function partitionTables(path: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(path);
  try {
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE regexp_matches(table_name, '^(samples|logs)_p') ORDER BY 1")).getRows();
    conn.disconnectSync();
    return rows.map((r) => r[0] as string);
  } finally {
    instance.closeSync();
  }
}
