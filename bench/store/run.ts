/*
 * Store benchmark: npx tsx bench/store/run.ts
 *
 * 1. Raw append rate of DuckDbStore: batches of 10k–100k samples over 1k–10k series, each
 *    appended through the Appender and committed in one transaction, into a real database file.
 *    This is the ceiling the full ingest pipeline (bus → writer → store) is compared with.
 * 2. Query latency over a 1-hour range of 1k series scraped every 15 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { TimeSeries } from '../../core/index.js';
import type { LabelMatcher, Querier } from '../../storage/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';

const T0 = Date.UTC(2026, 0, 1);
const SCRAPE_MS = 15_000;

function openStore(dir: string, name: string): DuckDbStore {
  return new DuckDbStore({ path: join(dir, `${name}.duckdb`), registry: new Registry(), logger: pino({ level: 'silent' }) });
}

/** Labels shaped like node-exporter's: a name and four labels, one of them per-series. */
function seriesLabels(seriesCount: number): Array<Record<string, string>> {
  return Array.from({ length: seriesCount }, (_, i) => ({
    __name__: `bench_metric_${i % 10}`,
    job: 'node',
    instance: `host-${Math.floor(i / 100)}:9100`,
    cpu: String(i % 100),
    mode: 'user',
  }));
}

/** One batch: every series gets samplesPerBatch / seriesCount consecutive scrapes from `scrape`. */
function makeBatch(labels: Array<Record<string, string>>, samplesPerSeries: number, scrape: number): TimeSeries[] {
  return labels.map((l, i) => ({
    labels: l,
    samples: Array.from({ length: samplesPerSeries }, (_, j) => ({ t: T0 + (scrape + j) * SCRAPE_MS, v: i + j * 0.25 })),
  }));
}

interface AppendResult {
  samplesPerSecond: number;
  commitMsP50: number;
  commitMsMax: number;
  /** Longest the event loop was held up during commit(). */
  eventLoopMaxMs: number;
  /** Samples per second of CPU time (all threads, user + system): steadier than wall time on a busy machine. */
  samplesPerCpuSecond: number;
}

async function appendRate(dir: string, seriesCount: number, samplesPerBatch: number, batches: number): Promise<AppendResult> {
  const store = openStore(dir, `append-${seriesCount}-${samplesPerBatch}`);
  await store.open();
  const labels = seriesLabels(seriesCount);
  const perSeries = Math.max(1, Math.round(samplesPerBatch / seriesCount));
  // First batch creates the series; it is not timed, as steady state re-sends known series.
  const warm = store.appender();
  for (const s of makeBatch(labels, perSeries, 0)) warm.appendSeries('default', s);
  await warm.commit();
  // Batches are built before timing: only the store's work is measured.
  const prepared = Array.from({ length: batches }, (_, b) => makeBatch(labels, perSeries, (b + 1) * perSeries));
  const commitMs: number[] = [];
  let samples = 0;
  // Watches the event loop only while commit() runs: the caller's own append loop is synchronous by design.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (const batch of prepared) {
    const t = performance.now();
    const a = store.appender();
    for (const s of batch) {
      a.appendSeries('default', s);
      samples += s.samples.length;
    }
    a.setOffset('bench', 'vigil.metrics/0', BigInt(samples));
    loop.enable();
    await a.commit();
    loop.disable();
    commitMs.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  await store.close();
  commitMs.sort((x, y) => x - y);
  return {
    samplesPerSecond: samples / seconds,
    commitMsP50: commitMs[Math.floor(commitMs.length / 2)] ?? 0,
    commitMsMax: commitMs[commitMs.length - 1] ?? 0,
    eventLoopMaxMs: loop.max / 1e6,
    samplesPerCpuSecond: samples / ((cpu.user + cpu.system) / 1e6),
  };
}

interface QueryTiming {
  p50: number;
  max: number;
  /** CPU time per query, all threads. */
  cpuMs: number;
  /** Longest the event loop was held up while the queries ran. */
  eventLoopMaxMs: number;
}

async function timeQuery(runs: number, query: () => Promise<unknown>): Promise<QueryTiming> {
  await query(); // warm caches once
  const ms: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await query();
    ms.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpuStart);
  loop.disable();
  ms.sort((x, y) => x - y);
  return { p50: ms[Math.floor(ms.length / 2)] ?? 0, max: ms[ms.length - 1] ?? 0, cpuMs: (cpu.user + cpu.system) / 1000 / runs, eventLoopMaxMs: loop.max / 1e6 };
}

async function queryLatency(dir: string): Promise<void> {
  const store = openStore(dir, 'query');
  await store.open();
  const labels = seriesLabels(1000);
  // 2 hours of data so that the 1-hour query does not read everything; 240 scrapes per hour.
  const scrapesPerBatch = 40;
  for (let scrape = 0; scrape < 480; scrape += scrapesPerBatch) {
    const a = store.appender();
    for (const s of makeBatch(labels, scrapesPerBatch, scrape)) a.appendSeries('default', s);
    await a.commit();
  }
  const from = T0 + 3600_000;
  const to = T0 + 2 * 3600_000 - 1;
  const q: Querier = store.querier('default', from, to);
  const all: LabelMatcher[] = [{ type: '=~', name: '__name__', value: 'bench_metric_.*' }];
  const one: LabelMatcher[] = [{ type: '=', name: '__name__', value: 'bench_metric_3' }, { type: '=', name: 'instance', value: 'host-3:9100' }];
  const rows: Array<[string, () => Promise<unknown>]> = [
    ['selectSamples raw, 1k series × 240 samples', () => q.selectSamples(all)],
    ['selectSamples raw, 1 series', () => q.selectSamples(one)],
    ['selectSeries, 1k series', () => q.selectSeries(all)],
    ['labelValues(instance)', () => q.labelValues('instance')],
  ];
  console.log('\nquery latency, 1-hour range of 2 hours stored (1k series, 15 s scrape):');
  await printTimings(rows);
  await store.close();
}

async function printTimings(rows: ReadonlyArray<[string, () => Promise<unknown>]>): Promise<void> {
  for (const [name, run] of rows) {
    const { p50, max, cpuMs, eventLoopMaxMs } = await timeQuery(10, run);
    console.log(
      `  ${name.padEnd(46)} p50 ${p50.toFixed(1).padStart(7)} ms   max ${max.toFixed(1).padStart(7)} ms   CPU ${cpuMs.toFixed(1).padStart(6)} ms/query   event loop blocked ≤ ${eventLoopMaxMs.toFixed(1)} ms`,
    );
  }
}

/**
 * Label queries over a week of hourly partitions: whole partitions answer from their presence
 * tables, so cost follows series × partitions rather than the number of samples.
 */
async function longRangeLabels(dir: string): Promise<void> {
  const HOUR = 3600_000;
  const store = new DuckDbStore({ path: join(dir, 'week.duckdb'), partitionMs: HOUR, registry: new Registry(), logger: pino({ level: 'silent' }) });
  await store.open();
  const labels = seriesLabels(1000);
  const perHour = 12; // one sample every 5 minutes
  let samples = 0;
  for (let hour = 0; hour < 7 * 24; hour += 8) {
    const a = store.appender();
    for (const [i, l] of labels.entries()) {
      const points = Array.from({ length: 8 * perHour }, (_, j) => ({ t: T0 + hour * HOUR + j * (HOUR / perHour), v: i + j }));
      a.appendSeries('default', { labels: l, samples: points });
      samples += points.length;
    }
    await a.commit();
  }
  const week = store.querier('default', T0 + 30 * 60_000, T0 + 7 * 24 * HOUR - 30 * 60_000);
  const node3: LabelMatcher[] = [{ type: '=', name: 'instance', value: 'host-3:9100' }];
  console.log(`\nlabel queries over ~7 days (${samples.toLocaleString('en-US')} samples, 1k series, 168 hourly partitions, the range cuts two of them):`);
  await printTimings([
    ['labelValues(instance)', () => week.labelValues('instance')],
    ['labelNames()', () => week.labelNames()],
    ['selectSeries {instance="host-3:9100"}', () => week.selectSeries(node3)],
  ]);
  await store.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-store-'));
  try {
    // Figures swing with whatever else runs on the machine; print how busy it was.
    console.log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)} at start`);
    console.log('raw append rate (Appender → one transaction per batch, file database, known series re-sent):');
    const configs: Array<[number, number, number]> = [
      [1_000, 10_000, 30],
      [1_000, 100_000, 10],
      [10_000, 100_000, 10],
    ];
    for (const [seriesCount, samplesPerBatch, batches] of configs) {
      const r = await appendRate(dir, seriesCount, samplesPerBatch, batches);
      console.log(
        `  ${String(seriesCount).padStart(6)} series, ${String(samplesPerBatch).padStart(7)} samples/batch: ${Math.round(r.samplesPerSecond).toLocaleString('en-US').padStart(10)} samples/s (${Math.round(r.samplesPerCpuSecond).toLocaleString('en-US')} per CPU-second)   append+commit p50 ${r.commitMsP50.toFixed(1)} ms, max ${r.commitMsMax.toFixed(1)} ms   event loop blocked in commit ≤ ${r.eventLoopMaxMs.toFixed(1)} ms`,
      );
    }
    await queryLatency(dir);
    await longRangeLabels(dir);
    console.log(`load average ${loadavg()[0]?.toFixed(1)} at end`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
