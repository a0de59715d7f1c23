/*
 * Full-pipeline ingest benchmark: npm run bench:ingest [-- --seconds 20 --concurrency 4]
 *
 * Pushes OTLP/HTTP protobuf metrics at the embedded platform (the built `vigil start`, as a child
 * process) and prints: accepted samples/s, samples/s sustained through the whole pipeline (until
 * the writer has everything in DuckDB), the time until a sample is visible to a query (idle and
 * under load), and the server's peak RSS — beside the store's raw append rate for the same rows,
 * which is the ceiling.
 *
 * Load: 100k series (100 hosts × 10 metrics × 100 cpus), each request one point for 10k of them
 * (10 hosts), as exporters send. Bodies are encoded before the timed phase.
 *
 * Measured 2026-11-27 (2 shared cores, --seconds 10, 4 senders; runs back to back, load 2–3.5):
 *   ingest.decodeWorkers 0 (decode on the main thread): sustained 209k / 205k samples/s,
 *     170k / 160k samples per CPU-second; main-thread profile: decode + prepare 20% of busy time
 *     (protobuf decode 8%, payload encoding 6%, validation 3%, mapping 3%) plus much of its 27% GC.
 *   ingest.decodeWorkers 1 (default): sustained 257k / 245k samples/s, 182k / 175k samples per
 *     CPU-second; decode + prepare 0% of the main thread, which is now 29% idle (GC 21%).
 *   --max-semi-space-size=32 (decodeWorkers 1): 208k / 208k samples per CPU-second against 211k / 194k
 *     without, +130–190 MB peak RSS: no clear gain, so not set.
 * Later the same day, defaults (decodeWorkers 1, writer 8 records per transaction, store.memoryLimit
 * 128MB, sample columns on the write path), --seconds 30, load 1.4–2.6: sustained 296k–331k samples/s,
 * 204k–230k samples per CPU-second, peak RSS 602–630 MB, raw append 708k–797k → pipeline/raw 38–42 %
 * (target 50 %: the writer's bus decode and DuckDB appender flush still run on the main thread).
 * Then metrics records carried labels as a symbol table (SampleColumns) instead of one object per
 * series: decoding a record fell from ~6 ms to 0.06 ms (bench:codec), the writer stopped hashing
 * label objects. --seconds 20, load 2.4–2.9 (another job running): sustained 480k / 484k
 * samples/s, 370k samples per CPU-second, peak RSS 515–518 MB; raw append as sample columns 765k
 * (as series objects 611k–838k) → pipeline/raw 57–63 %. On a quiet machine (load 0.8), --seconds 30:
 * sustained 562k samples/s, 392k per CPU-second, request p50 71 ms / p99 160 ms, peak RSS 522 MB,
 * raw 836k as columns (718k as objects) → 67 %. (Bodies for 700k samples/s are now encoded: at 400k
 * some were re-sent with the same timestamps; a run with 700k: 579k sustained, 408k per CPU-second,
 * peak RSS 521 MB, raw 805k → 72 %.)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import type { SampleColumns, TimeSeries } from '../../core/index.js';
import { createLogger, toSampleColumns } from '../../core/index.js';
import { encodeOtlpMetricsProtobuf } from '../../ingest/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { startVigil } from '../../test/support/index.js';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '4' } },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const HOSTS_PER_REQUEST = 10;
const HOST_GROUPS = 10; // 100 hosts in all
const METRICS = 10;
const CPUS = 100;
const SAMPLES_PER_REQUEST = HOSTS_PER_REQUEST * METRICS * CPUS;

const t0Ms = Date.now() - 30 * 60_000; // request r carries time t0 + r*100ms: all within the accepted window

function otlpRequest(r: number): Record<string, unknown> {
  const group = r % HOST_GROUPS;
  const timeUnixNano = String(BigInt(t0Ms + r * 100) * 1_000_000n);
  return {
    resourceMetrics: Array.from({ length: HOSTS_PER_REQUEST }, (_, h) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'bench' } },
          { key: 'service.instance.id', value: { stringValue: `host-${group * HOSTS_PER_REQUEST + h}` } },
        ],
      },
      scopeMetrics: [
        {
          metrics: Array.from({ length: METRICS }, (_, m) => ({
            name: `bench.metric.${m}`,
            gauge: {
              dataPoints: Array.from({ length: CPUS }, (_, c) => ({
                attributes: [{ key: 'cpu', value: { stringValue: String(c) } }],
                timeUnixNano,
                asDouble: r + c * 0.5,
              })),
            },
          })),
        },
      ],
    })),
  };
}

/** The rows the pipeline stores for request r: used for the store's raw rate. */
function rowsOf(r: number): TimeSeries[] {
  const group = r % HOST_GROUPS;
  const out: TimeSeries[] = [];
  for (let h = 0; h < HOSTS_PER_REQUEST; h++) {
    for (let m = 0; m < METRICS; m++) {
      for (let c = 0; c < CPUS; c++) {
        out.push({
          labels: { __name__: `bench_metric_${m}`, job: 'bench', instance: `host-${group * HOSTS_PER_REQUEST + h}`, cpu: String(c) },
          samples: [{ t: t0Ms + r * 100, v: r + c * 0.5 }],
        });
      }
    }
  }
  return out;
}

/**
 * The store's append rate for the bench's rows, as series objects (Appender.appendSeries) or as
 * the sample columns the bus carries (appendSampleColumns, built before the clock starts).
 */
async function rawAppendRate(dir: string, requests: number, perCommit: number, form: 'series' | 'columns'): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const store = new DuckDbStore({ path: join(dir, 'raw.duckdb'), partitionMs: 24 * 3600_000, registry: new Registry(), logger: createLogger('silent') });
  await store.open();
  // Warm: create every series once, as the platform run does in its first rounds.
  for (let r = 0; r < HOST_GROUPS; r++) {
    const a = store.appender();
    for (const s of rowsOf(r)) a.appendSeries('default', s);
    await a.commit();
  }
  const batches: TimeSeries[][][] = [];
  for (let r = HOST_GROUPS; r < HOST_GROUPS + requests; r += perCommit) {
    const batch: TimeSeries[][] = [];
    for (let k = r; k < r + perCommit; k++) batch.push(rowsOf(k));
    batches.push(batch);
  }
  const columns = batches.map((b) => b.map((request) => toSampleColumns(request)));
  let samples = 0;
  const start = performance.now();
  for (const [i, batch] of batches.entries()) {
    const a = store.appender();
    if (form === 'series') {
      for (const request of batch) for (const s of request) a.appendSeries('default', s);
    } else {
      for (const cols of columns[i] as SampleColumns[]) a.appendSampleColumns('default', cols);
    }
    samples += batch.length * SAMPLES_PER_REQUEST;
    a.setOffset('bench', 'vigil.metrics/0', BigInt(samples));
    await a.commit();
  }
  const rate = samples / ((performance.now() - start) / 1000);
  await store.close();
  return rate;
}

async function metricValue(url: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const prefix = labels === '' ? `${name} ` : `${name}{${labels}}`;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** CPU seconds (user + system, all threads) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Sends one marker sample and polls the query API until it is visible; returns milliseconds. */
async function visibilityMs(url: string, marker: number, queryTimes?: number[]): Promise<number> {
  const t = Date.now();
  const body = encodeOtlpMetricsProtobuf({
    resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'bench_marker', gauge: { dataPoints: [{ attributes: [{ key: 'n', value: { stringValue: String(marker) } }], timeUnixNano: String(BigInt(t) * 1_000_000n), asDouble: marker }] } }] }] }],
  });
  const start = performance.now();
  const res = await fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
  if (res.status !== 200) throw new Error(`marker rejected: ${res.status} ${await res.text()}`);
  for (;;) {
    const queriedAt = performance.now();
    const q = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(`bench_marker{n="${marker}"}`)}&time=${(t + 1) / 1000}`);
    const json = (await q.json()) as { data: { result: unknown[] } };
    queryTimes?.push(performance.now() - queriedAt);
    if (json.data.result.length > 0) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 5));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)}; ${SECONDS} s of load, ${CONCURRENCY} concurrent senders, ${SAMPLES_PER_REQUEST} samples per request`);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-ingest-'));
  try {
    // The ceiling first, on a quiet machine and a fresh file: the best of two runs of the store's raw append.
    const rawSeries = Math.max(await rawAppendRate(join(dir, 'raw-1'), 200, 10, 'series'), await rawAppendRate(join(dir, 'raw-2'), 200, 10, 'series'));
    const raw = Math.max(await rawAppendRate(join(dir, 'raw-3'), 200, 10, 'columns'), await rawAppendRate(join(dir, 'raw-4'), 200, 10, 'columns'));
    // Enough distinct bodies for 700k samples/s; beyond that they are re-sent (same timestamps).
    const bodyCount = Math.ceil((700_000 * SECONDS) / SAMPLES_PER_REQUEST);
    process.stdout.write(`encoding ${bodyCount} OTLP protobuf bodies… `);
    const bodies: Uint8Array[] = [];
    for (let r = 0; r < bodyCount; r++) bodies.push(encodeOtlpMetricsProtobuf(otlpRequest(r)));
    console.log(`${(bodies.reduce((n, b) => n + b.length, 0) / 1e6).toFixed(0)} MB`);

    const vigil = await startVigil({
      dataDir: join(dir, 'platform'),
      env: { VIGIL_LOG_LEVEL: 'warn', VIGIL_COLLECTORS__HOST__ENABLED: 'false', VIGIL_COLLECTORS__SELF_LOGS__ENABLED: 'false' },
    });
    const pid = vigil.proc.pid as number;
    try {
      const idleVisibility: number[] = [];
      for (let i = 0; i < 5; i++) idleVisibility.push(await visibilityMs(vigil.url, i));

      const cpuAtStart = cpuSeconds(pid);
      let next = 0;
      let accepted = 0;
      let rejected429 = 0;
      let failed = 0;
      const deadline = performance.now() + SECONDS * 1000;
      const start = performance.now();
      const latencies: number[] = [];
      const sender = async (): Promise<void> => {
        while (performance.now() < deadline) {
          const body = bodies[next++ % bodies.length] as Uint8Array;
          const sentAt = performance.now();
          const res = await fetch(`${vigil.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
          await res.arrayBuffer();
          latencies.push(performance.now() - sentAt);
          if (res.status === 200) accepted += SAMPLES_PER_REQUEST;
          else if (res.status === 429) {
            rejected429 += 1;
            await new Promise((r) => setTimeout(r, 100));
          } else failed += 1;
        }
      };
      const loadVisibility: number[] = [];
      const loadQueryTimes: number[] = [];
      const prober = async (): Promise<void> => {
        for (let i = 100; performance.now() < deadline - 2000; i++) {
          loadVisibility.push(await visibilityMs(vigil.url, i, loadQueryTimes));
          await new Promise((r) => setTimeout(r, 1000));
        }
      };
      let sendSeconds = 0;
      const senders = Promise.all(Array.from({ length: CONCURRENCY }, sender)).then(() => {
        sendSeconds = (performance.now() - start) / 1000;
      });
      const probing = prober();
      await senders;
      // Sustained: until the writer has every accepted sample in the store.
      let written = 0;
      while ((written = await metricValue(vigil.url, 'vigil_writer_rows_total', 'kind="samples"')) < accepted) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const pipelineSeconds = (performance.now() - start) / 1000;
      const serverCpu = cpuSeconds(pid) - cpuAtStart;
      await probing;
      const commits = await metricValue(vigil.url, 'vigil_writer_commit_duration_seconds_count', '');
      const commitSeconds = await metricValue(vigil.url, 'vigil_writer_commit_duration_seconds_sum', '');
      const rss = peakRssMb(pid);
      const heapMb = (await metricValue(vigil.url, 'vigil_nodejs_heap_size_total_bytes', '')) / 1e6;
      const externalMb = (await metricValue(vigil.url, 'vigil_nodejs_external_memory_bytes', '')) / 1e6;
      await vigil.stop();

      const acceptedRate = accepted / sendSeconds;
      const sustained = accepted / pipelineSeconds;
      console.log('');
      console.log('full pipeline (OTLP protobuf → push pipeline → embedded bus → writer → DuckDB):');
      console.log(`  accepted                 ${Math.round(acceptedRate).toLocaleString('en-US').padStart(12)} samples/s  (${accepted.toLocaleString('en-US')} in ${sendSeconds.toFixed(1)} s; ${rejected429} × 429, ${failed} other failures)`);
      console.log(`  sustained end to end     ${Math.round(sustained).toLocaleString('en-US').padStart(12)} samples/s  (written ${written.toLocaleString('en-US')} by ${pipelineSeconds.toFixed(1)} s)`);
      latencies.sort((a, b) => a - b);
      const pct = (q: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(0);
      console.log(`  request latency          p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms (${latencies.length} requests)`);
      console.log(`  visible to a query, idle    median ${median(idleVisibility).toFixed(0)} ms, max ${Math.max(...idleVisibility).toFixed(0)} ms`);
      console.log(`  visible to a query, loaded  median ${median(loadVisibility).toFixed(0)} ms, max ${Math.max(...loadVisibility).toFixed(0)} ms (${loadVisibility.length} probes; one query takes median ${median(loadQueryTimes).toFixed(0)} ms, max ${Math.max(...loadQueryTimes).toFixed(0)} ms)`);
      console.log(`  writer                   ${commits} store transactions, mean ${((commitSeconds / Math.max(1, commits)) * 1000).toFixed(0)} ms, ${Math.round(written / Math.max(1, commits)).toLocaleString('en-US')} samples each`);
      // On a shared machine wall-clock rates swing with other load; CPU time per sample does not.
      console.log(`  server CPU               ${serverCpu.toFixed(1)} s for ${(accepted / 1e6).toFixed(2)}M samples = ${Math.round(accepted / serverCpu).toLocaleString('en-US')} samples per CPU-second (all threads)`);
      console.log(`  server peak RSS          ${rss.toFixed(0).padStart(12)} MB (at the end: main-thread V8 heap ${heapMb.toFixed(0)} MB, external buffers ${externalMb.toFixed(0)} MB)`);
      console.log('store raw append rate, same rows (Appender, 100k samples per transaction, best of two, measured first):');
      console.log(`  as series objects        ${Math.round(rawSeries).toLocaleString('en-US').padStart(12)} samples/s  (appendSeries)`);
      console.log(`  raw: as sample columns   ${Math.round(raw).toLocaleString('en-US').padStart(12)} samples/s  (appendSampleColumns, the bus's form: the ceiling)`);
      console.log(`  pipeline / raw           ${((sustained / raw) * 100).toFixed(0).padStart(12)} %`);
    } finally {
      await vigil.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
