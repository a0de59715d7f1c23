import { openStore, readMeta } from './benchData.js';
const dir = '/tmp/vq-full';
const meta = readMeta(dir);
const store = openStore(dir);
await store.open();
const end = meta.endMs;
const metric = process.argv[2] ?? 'node_filesystem_avail_bytes';
const span = Number(process.argv[3] ?? 300_000);
for (let i = 0; i < 4; i++) {
  const q = store.querier('default', end - span, end);
  let t = performance.now();
  const s = await q.selectSeries([{ type: '=', name: '__name__', value: metric }]);
  const t1 = performance.now() - t;
  t = performance.now();
  const ss = await q.selectSamples([{ type: '=', name: '__name__', value: metric }]);
  const t2 = performance.now() - t;
  let n = 0; for (const x of ss) n += x.timestamps.length;
  console.log(`series ${s.length} in ${t1.toFixed(0)} ms; samples ${ss.length} series / ${n} samples in ${t2.toFixed(0)} ms`);
}
await store.close();
