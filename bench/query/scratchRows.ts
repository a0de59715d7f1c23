import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create('/tmp/vq-full/vigil.duckdb', { access_mode: 'READ_ONLY' });
const c = await db.connect();
for (const sql of process.argv.slice(2)) console.log((await c.runAndReadAll(sql)).getRows().map((r) => r.map(String).join(' | ')).join('\n'));
