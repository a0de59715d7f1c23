/*
 * Query benchmark (issue #10): npm run bench:query [-- --quick] [--runs 5] [--scrape-seconds 60]
 *   [--data-dir DIR] [--only REGEX] [--engine-only]
 *
 * Generates node_exporter-like data (seeded: counters with resets and jitter, gauges, classic
 * histograms), loads the same samples into Vigil's DuckDB store and, through OpenMetrics and
 * promtool, into a Prometheus 2.42 TSDB, then times four queries:
 *   - Vigil's engine in this process (createEngine + tenantQueryable over a DuckDbStore): the
 *     engine's own cost, without HTTP and JSON;
 *   - Vigil over HTTP: the built `vigil start --roles query` as a child process on the same data
 *     dir, a real listening server (as bench:ingest runs it);
 *   - Prometheus over HTTP, the same URL; the ratio compares the two servers, both measured alike
 *     (time to the last byte of the response), their runs interleaved.
 * Peak RSS added is sampled every 2 ms from a worker thread (rssSampler.ts) during a query's first
 * run in a fresh process: a probe process for the engine (rssProbe.ts), and for HTTP both servers
 * restarted for each query. "Bytes touched" is 16 × the stored samples the query's windows cover.
 * Vigil's and Prometheus' answers are compared (series, points, sum of values) and printed.
 *
 * Measured 2026-12-06 (2 shared cores, load 2–3, another bench running part of the time; full
 * scale, 60 s scrape, 17.05M samples; p50 over HTTP, Vigil / Prometheus):
 *   selector 10k series 1 h          1.94 s / 1.11 s = 1.75×   RSS added 350 MB for 11 MB touched
 *   sum by rate 10k × 24 h          67.1 s / 4.27 s = 15.7×   RSS added 3.36 GB for 231 MB touched
 *   histogram_quantile 1k, 1 h       3.68 s / 0.47 s = 7.8×    RSS added 405 MB for 13 MB touched
 *   instant selector 50k series      1.87 s / 0.44 s = 4.2×    RSS added 335 MB for 5 MB touched
 * The sum-by-rate run's main thread (--cpu-prof, ~66 s busy): store read and row conversion ~3 s;
 * WindowSlicer.at 27% (a new array per series per step), GC 18%, perSeries + rate 24% (an element
 * and a label set without __name__ per series per step), grouping and label keys 18% (the same
 * 10k label sets hashed again at each of 1441 steps). Every step's rate() vector is held until
 * sum() reads it: 14.4M elements, hence the RSS.
 *
 * After range functions and simple aggregations went series by series (RangeFunctionImpl,
 * the columnar 'series' step value, aggregateSeries; 2026-12-06, same machine, engine in
 * process, --engine-only, other benches sharing the 2 cores at load 3–6 in both runs):
 *   sum by rate 10k × 24 h          47.8 s → 2.9 s     RSS added 674 MB → 728 MB (probe noise; columns: 130 MB)
 *   histogram_quantile 1k, 1 h       4.0–4.7 s → 2.4 s  (rate per series, histogram_quantile still per step)
 *   selector 10k, instant 50k        1.4 s → 1.2 s, 2.5 s → 1.3 s (code unchanged: load)
 * The sum-by-rate profile is now the store's read (DuckDB fetch and scatter into columns) about
 * as much as the engine (evalRangeFunction with the rate kernel inlined ~13%, foldColumns ~5%).
 *
 * After the store read path was reworked (label sets cached by id, one sort key per label set,
 * rows staged by series bucket and sorted natively, columnar instant selectors; 2026-12-06, load
 * 2–6, today's partition now in arrival order as live ingest leaves it), p50 over HTTP, same run:
 *   selector 10k series 1 h          1.54 s / 1.60 s = 0.96×
 *   sum by rate 10k × 24 h           13.5 s / 10.5 s = 1.29×   (engine 9.1 s: the read of 14.4M samples)
 *   histogram_quantile 1k, 1 h       2.22 s / 0.89 s = 2.49×
 *   instant selector 50k series      1.34 s / 0.92 s = 1.46×
 *
 * --data-dir keeps the generated data (and reuses it when the scale matches), e.g. to profile the
 * engine alone: node --import tsx --cpu-prof bench/query/run.ts --data-dir /tmp/q --engine-only --only sum
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine, tenantQueryable } from '../../query/index.js';
import { startVigil } from '../../test/support/index.js';
import type { Meta } from './benchData.js';
import { LOOKBACK_MS, metaPath, openStore, putInArrivalOrder, readMeta, TENANT } from './benchData.js';
import type { Scale } from './data.js';
import { families } from './data.js';
import { loadFamilies } from './load.js';
import type { Measured } from './measure.js';
import { answerDigest, fetchQuery, measureHttpPair, timeInProcess } from './measure.js';
import { createBlocks, startPrometheus } from './prometheus.js';
import type { BenchQuery } from './queries.js';
import { benchQueries, queryUrl } from './queries.js';
import { probeEngineRss } from './rssProbe.js';
import { RssSampler } from './rssSampler.js';
import { count, mb, ms, ratio, timingOf } from './stats.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'scrape-seconds': { type: 'string', default: '60' },
    'data-dir': { type: 'string' },
    only: { type: 'string' },
    'engine-only': { type: 'boolean', default: false },
  },
});

const HOUR = 3600_000;

const scale: Scale = args.quick
  ? { instances: 50, cpus: 4, filesystems: 100, handlers: 2, longSpanMs: 2 * HOUR, scrapeMs: Number(args['scrape-seconds']) * 1000 }
  : { instances: 500, cpus: 4, filesystems: 100, handlers: 2, longSpanMs: 24 * HOUR, scrapeMs: Number(args['scrape-seconds']) * 1000 };
const RUNS = Number(args.runs ?? (args.quick ? 3 : 5));
const WARMUPS = 1;

/** Generates and loads the data, or reuses --data-dir when it holds this very scale. */
async function prepare(dir: string): Promise<Meta> {
  mkdirSync(dir, { recursive: true });
  if (existsSync(metaPath(dir))) {
    const meta = readMeta(dir);
    if (JSON.stringify(meta.scale) === JSON.stringify(scale)) {
      console.log(`reusing the data in ${dir}`);
      if (meta.layout === 'arrival') return meta;
      await putInArrivalOrder(dir);
      const updated: Meta = { ...meta, layout: 'arrival' };
      writeFileSync(metaPath(dir), JSON.stringify(updated));
      return updated;
    }
    throw new Error(`${dir} holds data of another scale: remove it or pick another --data-dir`);
  }
  // The last full hour: recent enough for the store's retention, and the same for both stores.
  const endMs = Math.floor(Date.now() / HOUR) * HOUR;
  const fams = families(scale, endMs);
  const store = openStore(dir);
  await store.open();
  let t = performance.now();
  const loaded = await loadFamilies(store, TENANT, [fams.cpu, fams.filesystem, fams.histogram], join(dir, 'data.om'));
  await store.close();
  await putInArrivalOrder(dir);
  console.log(
    `loaded ${count(loaded.samples)} samples of ${count(loaded.series)} series into DuckDB and ${mb(loaded.openMetricsBytes)} of OpenMetrics in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
  t = performance.now();
  await createBlocks(join(dir, 'data.om'), join(dir, 'tsdb'));
  rmSync(join(dir, 'data.om'));
  console.log(`promtool wrote the TSDB blocks in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const meta: Meta = { scale, endMs, layout: 'arrival' };
  writeFileSync(metaPath(dir), JSON.stringify(meta));
  return meta;
}

interface Row {
  readonly q: BenchQuery;
  /** The query's position in benchQueries(), for the memory probe. */
  readonly index: number;
  engine?: Measured;
  vigil?: Measured;
  prom?: Measured;
  /** Whether Vigil's and Prometheus' answers have the same series, points and sum. */
  answers?: string;
}

async function measureEngine(dir: string, rows: Row[]): Promise<void> {
  const store = openStore(dir);
  await store.open();
  const engine = createEngine({ lookbackDeltaMs: LOOKBACK_MS });
  const queryable = tenantQueryable(store, TENANT);
  for (const row of rows) {
    const { q } = row;
    const run = (): Promise<unknown> => (q.kind === 'instant' ? engine.instantQuery(queryable, q.expr, q.endMs) : engine.rangeQuery(queryable, q.expr, q.startMs, q.endMs, q.stepMs));
    row.engine = await timeInProcess(run, WARMUPS, RUNS);
    console.log(`  engine   ${q.label}: ${row.engine.error ?? `p50 ${ms(timingOf(row.engine.ms).p50)} ms`}`);
  }
  await store.close();
  // Weighed one by one in fresh processes, once this one has let go of the database file.
  for (const row of rows) {
    if (row.engine?.error !== undefined) continue;
    row.engine = { ...(row.engine as Measured), rssAddedBytes: await probeEngineRss(dir, row.index) };
    console.log(`  engine   ${row.q.label}: first run in a fresh process added ${mb(row.engine.rssAddedBytes)} of RSS`);
  }
}

/** Both servers are started afresh for each query, so that each query's memory is its own (see measureHttpPair). */
async function measureServers(dir: string, rows: Row[], sampler: RssSampler): Promise<void> {
  for (const row of rows) {
    const { q } = row;
    const vigil = await startVigil({ dataDir: dir, args: ['--roles', 'query', '--log-level', 'warn'], readyTimeoutMs: 120_000 });
    const prom = await startPrometheus(dir, join(dir, 'tsdb'));
    try {
      const vigilPid = vigil.proc.pid ?? 0;
      await settle([vigilPid, prom.pid]);
      const a = { name: 'vigil', pid: vigilPid, url: queryUrl(vigil.url, q) };
      const b = { name: 'prometheus', pid: prom.pid, url: queryUrl(prom.url, q) };
      [row.vigil, row.prom] = await measureHttpPair(a, b, WARMUPS, RUNS, sampler);
      row.answers = await compareAnswers(a.url, b.url);
      const [tv, tp] = [timingOf(row.vigil.ms), timingOf(row.prom.ms)];
      console.log(`  http     ${q.label}: vigil ${row.vigil.error ?? `p50 ${ms(tv.p50)} ms`}, prometheus ${row.prom.error ?? `p50 ${ms(tp.p50)} ms`}; answers ${row.answers}`);
    } finally {
      await vigil.stop();
      await prom.stop();
    }
  }
}

/** Waits until both servers stop using CPU (Prometheus loads its blocks' indexes, Vigil opens DuckDB), at most 60 s. */
async function settle(pids: readonly number[]): Promise<void> {
  const cpu = (pid: number): number => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(f[11]) + Number(f[12]);
  };
  for (let i = 0, prev = pids.map(cpu); i < 60; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = pids.map(cpu);
    if (now.every((c, j) => c - (prev[j] as number) <= 2)) return; // ≤ 20 ms of CPU in a second
    prev = now;
  }
}

async function compareAnswers(vigilUrl: string, promUrl: string): Promise<string> {
  const [v, p] = await Promise.all([fetchQuery(vigilUrl), fetchQuery(promUrl)]);
  if (v.status !== 200 || p.status !== 200) return `not compared (HTTP ${v.status} / ${p.status})`;
  const [dv, dp] = [answerDigest(v.body), answerDigest(p.body)];
  const sameSum = Math.abs(dv.sum - dp.sum) <= 1e-9 * Math.max(1, Math.abs(dp.sum));
  if (dv.series === dp.series && dv.points === dp.points && sameSum) return `alike (${count(dv.series)} series, ${count(dv.points)} points)`;
  return `DIFFER: vigil ${dv.series} series ${dv.points} points sum ${dv.sum}, prometheus ${dp.series} series ${dp.points} points sum ${dp.sum}`;
}

function printTable(rows: readonly Row[]): void {
  const header = ['query', 'samples touched', 'engine p50/min ms', 'Vigil HTTP p50/min ms', 'Prom HTTP p50/min ms', 'HTTP ratio', 'engine/Prom', 'RSS added engine / server', 'bytes touched', 'RSS/bytes engine / server'];
  const lines = rows.map((r) => {
    const [e, v, p] = [timingOf(r.engine?.ms ?? []), timingOf(r.vigil?.ms ?? []), timingOf(r.prom?.ms ?? [])];
    const bytes = 16 * r.q.samplesTouched;
    const rssE = r.engine?.rssAddedBytes ?? NaN;
    const rssV = r.vigil?.rssAddedBytes ?? NaN;
    return [
      r.q.label,
      count(r.q.samplesTouched),
      `${ms(e.p50)} / ${ms(e.min)}`,
      `${ms(v.p50)} / ${ms(v.min)}`,
      `${ms(p.p50)} / ${ms(p.min)}`,
      ratio(v.p50, p.p50),
      ratio(e.p50, p.p50),
      `${Number.isFinite(rssE) ? mb(rssE) : '—'} / ${Number.isFinite(rssV) ? mb(rssV) : '—'}`,
      mb(bytes),
      `${ratio(rssE, bytes)} / ${ratio(rssV, bytes)}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? ':' : '-').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
  const prom = rows.map((r) => r.prom?.rssAddedBytes ?? NaN);
  console.log(`Prometheus' RSS added, same queries: ${prom.map((b) => (Number.isFinite(b) ? mb(b) : '—')).join(', ')}`);
  for (const r of rows) for (const m of [r.engine, r.vigil, r.prom]) if (m?.error !== undefined) console.log(`error in "${r.q.label}": ${m.error}`);
}

async function main(): Promise<void> {
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)} at start`);
  console.log(
    `scale: ${args.quick ? 'QUICK (smoke run, not the issue\'s sizes)' : 'full (issue #10)'}; scrape interval ${scale.scrapeMs / 1000} s` +
      (scale.scrapeMs === 60_000 ? ' (60 s, not 15 s: the 24 h counters are 14.4M samples instead of 57.6M, to keep loading both stores within minutes)' : ''),
  );
  const sampler = new RssSampler();
  const dir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'vigil-bench-query-'));
  try {
    const { endMs } = await prepare(dir);
    const fams = families(scale, endMs);
    for (const f of Object.values(fams)) console.log(`  ${f.name}: ${count(f.seriesCount)} series × ${count(f.points)} samples every ${f.intervalMs / 1000} s`);
    const only = args.only === undefined ? undefined : new RegExp(args.only);
    const rows: Row[] = benchQueries(fams, endMs, scale.longSpanMs)
      .map((q, index) => ({ q, index }))
      .filter(({ q }) => only === undefined || only.test(q.label) || only.test(q.expr));
    console.log(`${WARMUPS} warm-up and ${RUNS} timed runs per query and side; memory weighed on the first run in a fresh process:`);
    await measureEngine(dir, rows);
    if (!args['engine-only']) await measureServers(dir, rows, sampler);
    console.log(`load average ${loadavg()[0]?.toFixed(1)} at end\n`);
    printTable(rows);
    console.log(
      'ratio = Vigil p50 / Prometheus p50 (both over HTTP, to the last byte); engine = in-process evaluation without HTTP/JSON; ' +
        'RSS added = peak during the first run of the query in a freshly started process − RSS before it (engine: a probe process; server: ' +
        'the server restarted for each query); bytes touched = 16 × stored samples in the windows read.',
    );
  } finally {
    await sampler.close();
    if (args['data-dir'] === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
