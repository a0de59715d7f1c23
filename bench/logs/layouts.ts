import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBType } from '@duckdb/node-api';
import { BIGINT, DuckDBInstance, UBIGINT, VARCHAR } from '@duckdb/node-api';

/**
 * Layout options for the logs table, measured on a copy of the bench's stored lines: each
 * variant is a fresh DuckDB file holding (stream_id, ts_ns, body) written in one order and
 * compression, then checkpointed. For each: bytes per line, a substring count over every line,
 * and one stream over 5 minutes (the two common searches), best of 3.
 */
interface Variant {
  readonly name: string;
  readonly order: string;
  readonly compression?: string;
}

const variants: readonly Variant[] = [
  { name: 'arrival order (today)', order: '' },
  { name: 'sorted by (stream, time)', order: 'ORDER BY stream_id, ts_ns' },
  { name: 'sorted, zstd forced', order: 'ORDER BY stream_id, ts_ns', compression: 'zstd' },
];

export async function measureLayouts(sourceDb: string, dir: string, lines: number, needle: string, stream: { id: bigint; fromNs: bigint; toNs: bigint }): Promise<void> {
  console.log('5. layout options (a copy of the lines: stream_id, ts_ns, body)');
  for (const v of variants) {
    const file = join(dir, `layout-${v.name.replace(/\W+/g, '-')}.duckdb`);
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    try {
      if (v.compression !== undefined) await conn.run(`PRAGMA force_compression='${v.compression}'`);
      await conn.run(`ATTACH '${sourceDb.replace(/'/g, "''")}' AS src (READ_ONLY)`);
      const tables = (await conn.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' AND table_name LIKE 'logs_p%'")).getRows().map((r) => r[0] as string);
      await conn.run(`CREATE TABLE logs AS SELECT stream_id, ts_ns, body FROM (${tables.map((t) => `SELECT stream_id, ts_ns, body FROM src.${t}`).join(' UNION ALL ')}) ${v.order}`);
      await conn.run('DETACH src');
      await conn.run('CHECKPOINT');
      const bytes = statSync(file).size;
      const time = async (sql: string, values: (string | bigint)[], types: DuckDBType[]): Promise<number> => {
        let best = Infinity;
        for (let i = 0; i < 4; i++) {
          const started = performance.now();
          await conn.runAndReadAll(sql, values, types);
          if (i > 0) best = Math.min(best, performance.now() - started);
        }
        return best;
      };
      const scan = await time('SELECT count(*) FROM logs WHERE contains(body, $1)', [needle], [VARCHAR]);
      const one = await time('SELECT ts_ns, body FROM logs WHERE stream_id = $1 AND ts_ns BETWEEN $2 AND $3 ORDER BY ts_ns DESC LIMIT 1000', [stream.id, stream.fromNs, stream.toNs], [UBIGINT, BIGINT, BIGINT]);
      console.log(`  ${v.name}: ${(bytes / lines).toFixed(1)} B/line, substring count ${scan.toFixed(0)} ms, one stream over 5m ${one.toFixed(1)} ms`);
    } catch (err) {
      console.log(`  ${v.name}: not measured (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    } finally {
      conn.disconnectSync();
      instance.closeSync();
    }
  }
}
