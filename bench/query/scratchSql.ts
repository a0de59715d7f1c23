import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create('/tmp/vq-full/vigil.duckdb', { access_mode: 'READ_ONLY', memory_limit: '64MB' });
const c = await db.connect();
const tables = (await c.runAndReadAll("SELECT table_name, estimated_size FROM duckdb_tables()")).getRows();
console.log(tables.map(String).join('\n'));
const meta = JSON.parse((await import('node:fs')).readFileSync('/tmp/vq-full/meta.json', 'utf8'));
const end = meta.endMs;
for (const sql of process.argv.slice(2)) {
  const q = sql.replaceAll('$END', String(end));
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await c.runAndReadAll(q);
    console.log(`${(performance.now() - t).toFixed(0)} ms rows ${r.currentRowCount}  ${q.slice(0, 100)}`);
  }
}
