/*
 * Remote-write benchmark: npm run bench:remote-write [-- --requests 3000 --series-per-request 1000
 *   --samples 2 --concurrency 4]
 *
 * The same generated remote-write 1.0 load, sent the same way, into VictoriaMetrics
 * (/usr/bin/victoria-metrics, Debian) and into Vigil (the built `vigil start`), one after the
 * other in one run, printed side by side with the ratio. Load as Prometheus sends it: each
 * request carries many series (node_exporter-like labels, 100k distinct series in all) with a
 * few samples each, snappy-compressed protobuf, from concurrent senders (Prometheus' shards).
 * Every body is encoded before the clock starts, and both servers get exactly the same bodies.
 *
 * Figures: acknowledged samples/s (2xx answers; Vigil answers once the samples are durable on
 * its bus, VictoriaMetrics once they are in its in-memory buffers), request latency, the
 * server's CPU-seconds and peak RSS, and for Vigil also the rate through to its store (until
 * the writer has every sample in DuckDB). Target: Vigil ≥ 0.5× VictoriaMetrics.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import type { Peer } from '../../test/support/index.js';
import { startVictoriaMetrics, startVigil, VICTORIA_METRICS } from '../../test/support/index.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    'series-per-request': { type: 'string', default: '1000' },
    samples: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '4' },
    /** Vigil's roles: `ingest` alone (receiver + bus, no store writer) shows what the receiver takes by itself. */
    roles: { type: 'string', default: 'all' },
  },
});
const REQUESTS = Number(args.requests);
const SERIES_PER_REQUEST = Number(args['series-per-request']);
const SAMPLES = Number(args.samples);
const CONCURRENCY = Number(args.concurrency);
const TOTAL_SERIES = 100_000;
const GROUPS = Math.max(1, Math.floor(TOTAL_SERIES / SERIES_PER_REQUEST));
const STEP_MS = 15_000;
const SAMPLES_PER_REQUEST = SERIES_PER_REQUEST * SAMPLES;
const HEADERS = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };

const MODES = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];

/** The labels of series i of group g, as remote write sends them (sorted by name). */
function labelsOf(g: number, i: number): [string, string][] {
  const n = g * SERIES_PER_REQUEST + i;
  const host = Math.floor(n / 1000);
  const within = n % 1000;
  return [
    ['__name__', `node_metric_${within % 50}`],
    ['cpu', String(Math.floor(within / 50) % 20)],
    ['instance', `host-${host}.example.org:9100`],
    ['job', 'node'],
    ['mode', MODES[within % MODES.length] as string],
  ];
}

/**
 * Request r: group r % GROUPS, round ⌊r / GROUPS⌋; round k holds SAMPLES samples per series at
 * t0 + (k·SAMPLES + j)·15 s, so that every series moves forward in time as Prometheus' would.
 */
function encodeBody(r: number, t0: number): Uint8Array {
  const g = r % GROUPS;
  const round = Math.floor(r / GROUPS);
  const w = protobuf.Writer.create();
  for (let i = 0; i < SERIES_PER_REQUEST; i++) {
    w.uint32((1 << 3) | 2).fork();
    for (const [name, value] of labelsOf(g, i)) w.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string(name).uint32((2 << 3) | 2).string(value).ldelim();
    for (let j = 0; j < SAMPLES; j++) {
      const t = t0 + (round * SAMPLES + j) * STEP_MS;
      w.uint32((2 << 3) | 2).fork().uint32((1 << 3) | 1).double(round * 10 + i * 0.25 + j).uint32((2 << 3) | 0).int64(t).ldelim();
    }
    w.ldelim();
  }
  return compress(w.finish());
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
}

interface RunResult {
  readonly samplesPerSecond: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly refused: number;
}

/** Sends every body once from CONCURRENCY senders (a 429/5xx is retried after its Retry-After, as Prometheus does). */
async function send(url: string, bodies: readonly Uint8Array[], pid: number): Promise<RunResult> {
  const cpuAtStart = cpuSeconds(pid);
  let next = 0;
  let refused = 0;
  const latencies: number[] = [];
  const start = performance.now();
  const sender = async (): Promise<void> => {
    for (let r = next++; r < bodies.length; r = next++) {
      for (;;) {
        const sentAt = performance.now();
        const res = await fetch(`${url}/api/v1/write`, { method: 'POST', headers: HEADERS, body: bodies[r] as Uint8Array });
        const text = await res.text();
        latencies.push(performance.now() - sentAt);
        if (res.status >= 200 && res.status < 300) break;
        if (res.status !== 429 && res.status < 500) throw new Error(`request ${r} refused: ${res.status} ${text}`);
        refused += 1;
        await new Promise((ok) => setTimeout(ok, Number(res.headers.get('retry-after') ?? 1) * 100));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  const seconds = (performance.now() - start) / 1000;
  return {
    samplesPerSecond: (bodies.length * SAMPLES_PER_REQUEST) / seconds,
    seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuSeconds: cpuSeconds(pid) - cpuAtStart,
    peakRssMb: peakRssMb(pid),
    refused,
  };
}

async function metricValue(url: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const prefix = labels === '' ? `${name} ` : `${name}{${labels}}`;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

const k = (n: number): string => `${(n / 1000).toFixed(0)}k`;

function row(name: string, r: RunResult, extra = ''): string {
  return `${name.padEnd(16)} ${k(r.samplesPerSecond).padStart(8)} samples/s  ${r.seconds.toFixed(1).padStart(5)} s  p50 ${r.p50Ms.toFixed(0).padStart(4)} ms  p99 ${r.p99Ms.toFixed(0).padStart(4)} ms  CPU ${r.cpuSeconds.toFixed(1).padStart(5)} s (${k((REQUESTS * SAMPLES_PER_REQUEST) / Math.max(0.01, r.cpuSeconds))} samples/CPU-s)  peak RSS ${r.peakRssMb.toFixed(0)} MB  retried ${r.refused}${extra}`;
}

async function main(): Promise<void> {
  const t0 = Date.now() - Math.ceil(REQUESTS / GROUPS) * SAMPLES * STEP_MS - 60_000;
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)}; ${REQUESTS} requests × ${SERIES_PER_REQUEST} series × ${SAMPLES} samples = ` +
      `${(REQUESTS * SAMPLES_PER_REQUEST / 1e6).toFixed(1)}M samples over ${GROUPS * SERIES_PER_REQUEST} series, ${CONCURRENCY} concurrent senders`,
  );
  process.stdout.write('encoding bodies… ');
  const bodies: Uint8Array[] = [];
  for (let r = 0; r < REQUESTS; r++) bodies.push(encodeBody(r, t0));
  console.log(`${(bodies.reduce((n, b) => n + b.length, 0) / 1e6).toFixed(0)} MB snappy`);

  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-rw-'));
  let vm: Peer | undefined;
  try {
    vm = await startVictoriaMetrics(['-retentionPeriod=1y']);
    const theirs = await send(vm.url, bodies, vm.child.pid as number);
    await vm.stop();
    vm = undefined;

    const vigil = await startVigil({
      dataDir: join(dir, 'vigil'),
      env: { VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLES: args.roles, VIGIL_COLLECTORS__HOST__ENABLED: 'false', VIGIL_COLLECTORS__SELF_LOGS__ENABLED: 'false' },
    });
    const pid = vigil.proc.pid as number;
    let ours: RunResult;
    let throughStore: number | undefined;
    try {
      const start = performance.now();
      ours = await send(vigil.url, bodies, pid);
      const total = REQUESTS * SAMPLES_PER_REQUEST;
      if (args.roles === 'all') {
        while ((await metricValue(vigil.url, 'vigil_writer_rows_total', 'kind="samples"')) < total) await new Promise((ok) => setTimeout(ok, 50));
        throughStore = total / ((performance.now() - start) / 1000);
      }
    } finally {
      await vigil.stop();
    }
    console.log(row(`VictoriaMetrics`, theirs));
    console.log(row(`Vigil (${args.roles})`, ours, throughStore === undefined ? '' : `  (through to the store: ${k(throughStore)} samples/s)`));
    const ratio = ours.samplesPerSecond / theirs.samplesPerSecond;
    const store = throughStore === undefined ? '' : `; through to Vigil's store ${(throughStore / theirs.samplesPerSecond).toFixed(2)}×`;
    console.log(`Vigil / VictoriaMetrics: ${ratio.toFixed(2)}× acknowledged samples/s (target ≥ 0.5×)${store}; load average now ${loadavg()[0]?.toFixed(1)}`);
  } finally {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!readFileSync('/proc/self/stat', 'utf8').includes(')')) throw new Error('needs Linux /proc');
await (async () => {
  try {
    readFileSync(VICTORIA_METRICS);
  } catch {
    throw new Error(`${VICTORIA_METRICS} is missing: run .ci/install-prometheus.sh`);
  }
  await main();
})();
