/*
 * Read benchmark: node --expose-gc --import tsx bench/store/read.ts
 *
 * One realistic read through Querier.selectSamples: 1k series × 1 day scraped every 15 s
 * (5.76M samples, one day partition, rows in arrival order and in the (series, time) order of a
 * rewritten past partition), in a process of its own so that the heap figures are the
 * read's. Prints the time of each run and the peak JavaScript memory (heap + array buffers, the
 * typed arrays live in the latter) above the baseline, sampled while the read streams, and what
 * the result keeps once the read is over. The data is written with plain SQL into the store's own
 * tables (as test/storage/heavyStore.ts does) so that setting up takes seconds, not minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { SeriesSamples } from '../../storage/index.js';

const T0 = Date.UTC(2026, 0, 1);
const DAY_MS = 24 * 3600_000;
const SCRAPE_MS = 15_000;
const SERIES = 1000;
const SCRAPES = DAY_MS / SCRAPE_MS; // 5760
const RUNS = 3;

const gc = (globalThis as { gc?: () => void }).gc;

function jsBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Rows as a partition holds them: `arrival` is the day still being written (scrape after scrape,
 * every series interleaved), `series` a past day after its one rewrite in (series, time) order.
 */
type Layout = 'arrival' | 'series';

async function fill(path: string, layout: Layout): Promise<void> {
  const seed = new DuckDbStore({ path, partitionMs: DAY_MS, registry: new Registry(), logger: pino({ level: 'silent' }) });
  await seed.open();
  const a = seed.appender();
  a.appendSeries('default', { labels: { __name__: 'seed' }, samples: [{ t: T0, v: 1 }] });
  await a.commit();
  await seed.close();
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  const tables = (await conn.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'samples_p%' OR table_name LIKE 'series_in_p%'")).getRows().map((r) => r[0] as string);
  const samples = tables.find((t) => t.startsWith('samples_')) as string;
  const presence = tables.find((t) => t.startsWith('series_in_')) as string;
  const tenant = "(SELECT id FROM tenants WHERE name = 'default')";
  // node-exporter-like labels; values a counter-ish random walk so that nothing compresses to a constant.
  await conn.run(`INSERT INTO series SELECT ${tenant}, 1000 + i, 'node_cpu_seconds_total',
    MAP {'__name__': 'node_cpu_seconds_total', 'job': 'node', 'instance': 'host-' || (i // 100)::VARCHAR || ':9100', 'cpu': (i % 100)::VARCHAR, 'mode': 'user'} FROM range(${SERIES}) r(i)`);
  await conn.run(`INSERT INTO ${presence} SELECT tenant_id, series_id FROM series WHERE metric = 'node_cpu_seconds_total'`);
  const order = layout === 'arrival' ? 'i' : `i % ${SERIES}, i // ${SERIES}`;
  await conn.run(`INSERT INTO ${samples} SELECT ${tenant}, 1000 + i % ${SERIES}, ${T0} + (i // ${SERIES}) * ${SCRAPE_MS}, (i // ${SERIES}) * 0.25 + random()
    FROM range(${SERIES * SCRAPES}) r(i) ORDER BY ${order}`);
  await conn.run('CHECKPOINT');
  conn.disconnectSync();
  instance.closeSync();
}

function sampleCount(series: readonly SeriesSamples[]): number {
  let n = 0;
  for (const s of series) n += s.timestamps.length;
  return n;
}

/** Lets pending callbacks run, then collects twice: what is left is what is reachable. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  (gc as () => void)();
  (gc as () => void)();
}

/**
 * One read, its time and memory. Only numbers come back: the result dies with this frame, so the
 * next run's baseline does not include it.
 */
async function measure(read: () => Promise<SeriesSamples[]>): Promise<{ ms: number; samples: number; peak: number; kept: number }> {
  await settle();
  const base = jsBytes();
  let peak = base;
  const poll = setInterval(() => (peak = Math.max(peak, jsBytes())), 2);
  const started = performance.now();
  const got = await read();
  const ms = performance.now() - started;
  clearInterval(poll);
  peak = Math.max(peak, jsBytes());
  const samples = sampleCount(got);
  await settle();
  return { ms, samples, peak: peak - base, kept: jsBytes() - base };
}

async function main(): Promise<void> {
  if (gc === undefined) throw new Error('run with node --expose-gc --import tsx bench/store/read.ts');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-read-'));
  try {
    for (const layout of ['arrival', 'series'] as const) {
      const path = join(dir, `read-${layout}.duckdb`);
      await fill(path, layout);
      const store = new DuckDbStore({ path, partitionMs: DAY_MS, registry: new Registry(), logger: pino({ level: 'silent' }) });
      await store.open();
      const q = store.querier('default', T0, T0 + DAY_MS - 1);
      console.log(`selectSamples of ${SERIES} series × 1 day at ${SCRAPE_MS / 1000} s (${(SERIES * SCRAPES).toLocaleString('en-US')} samples), rows in ${layout} order:`);
      for (let run = 1; run <= RUNS; run++) {
        const r = await measure(() => q.selectSamples([{ type: '=', name: '__name__', value: 'node_cpu_seconds_total' }]));
        const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0).padStart(5)} MB`;
        console.log(`  run ${run}: ${r.ms.toFixed(0).padStart(6)} ms   ${r.samples.toLocaleString('en-US')} samples   peak JS memory +${mb(r.peak)}   result keeps ${mb(r.kept)} (${(r.kept / r.samples).toFixed(1)} B/sample)`);
      }
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
