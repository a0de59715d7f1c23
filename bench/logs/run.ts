/*
 * Log search benchmark: npx tsx bench/logs/run.ts [lines]   (default 1,000,000; VIGIL_BENCH_LOG_LINES too)
 *
 * The same N synthetic logfmt lines (40 streams: 10 apps × 4 levels, spread over one hour) are
 * written to Vigil's DuckDB store through the Store's appender and to a flat file. Then:
 * 1. a substring filter over all of them: `sum(count_over_time({job="bench"} |= "<needle>" [1h]))`
 *    in Vigil against `grep -c <needle>` on the flat file (both must count the same lines), and
 *    the log query `{job="bench"} |= "<needle>"` (limit 100, newest first);
 * 2. a stream selector + time range: `{app="app-3", level="error"}` over 5 minutes, limit 1000;
 * 3. `sum by (level) (count_over_time({job="bench"}[1m]))` over the hour, step 1m;
 * 4. bytes per line on disk (database file after checkpoint) against the raw line;
 * 5. layout options on a copy of the lines (layouts.ts): arrival order, sorted by stream and time,
 *    zstd: bytes per line, the substring count and one stream over 5 minutes in plain SQL.
 * Timings are the best of 3 runs after one warm-up, wall clock.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { LogRecord } from '../../core/index.js';
import type { LogExpr, MetricExpr } from '../../query/logql/index.js';
import { evalLogQuery, evalMetricQuery, parseLogql } from '../../query/logql/index.js';
import { createEngine, tenantQueryable } from '../../query/index.js';
import type { Querier } from '../../storage/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { prng } from '../../test/support/index.js';
import { measureLayouts } from './layouts.js';

const LINES = Number(process.argv[2] ?? process.env['VIGIL_BENCH_LOG_LINES'] ?? 1_000_000);
const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3600_000;
const NS = 1_000_000n;
const NEEDLE = 'panic: nil map';
const TENANT = 'bench';

const words = ['GET', 'POST', 'PUT', '/api/v1/users', '/api/v1/orders', '/healthz', 'cache', 'miss', 'hit', 'upstream', 'timeout', 'retry', 'db', 'query', 'ok'];
const levels = ['debug', 'info', 'warn', 'error'];

function makeLine(rand: () => number, i: number): string {
  const msg = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => words[Math.floor(rand() * words.length)]).join(' ');
  // About one line in a thousand holds the needle.
  const extra = rand() < 0.001 ? ` err="${NEEDLE}"` : '';
  return `ts=${i} caller=handler.go:${Math.floor(rand() * 400)} msg="${msg}" duration=${Math.floor(rand() * 900)}ms trace_id=${Math.floor(rand() * 2 ** 52).toString(16)}${extra}`;
}

async function best<T>(label: string, run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  await run();
  let ms = Infinity;
  let result: T | undefined;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    result = await run();
    ms = Math.min(ms, performance.now() - started);
  }
  console.log(`  ${label}: ${ms.toFixed(0)} ms`);
  return { ms, result: result as T };
}

/** The stored id of a stream, read back through a scan of one of its lines. */
async function streamIdOf(q: Querier, labels: Record<string, string>): Promise<bigint> {
  let id = -1n;
  await q.scanLogs({ matchers: Object.entries(labels).map(([name, value]) => ({ type: '=', name, value })), lineFilters: [], startNs: BigInt(T0) * NS, endNs: BigInt(T0 + HOUR) * NS, direction: 'forward', limit: 1 }, (lines) => {
    id = lines[0]?.streamId ?? -1n;
    return false;
  });
  return id;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-logs-'));
  const dbPath = join(dir, 'logs.duckdb');
  const flat = join(dir, 'lines.log');
  try {
    console.log(`bench/logs: ${LINES.toLocaleString('en')} lines, 40 streams over 1 h`);
    const rand = prng(42);
    const store = new DuckDbStore({ path: dbPath, registry: new Registry(), logger: pino({ level: 'silent' }), partitionMs: HOUR });
    await store.open();
    const out = createWriteStream(flat);
    let rawBytes = 0;
    const ingestStart = performance.now();
    const BATCH = 50_000;
    for (let from = 0; from < LINES; from += BATCH) {
      const batch: LogRecord[] = [];
      let text = '';
      for (let i = from; i < Math.min(LINES, from + BATCH); i++) {
        const body = makeLine(rand, i);
        const app = `app-${i % 10}`;
        const level = levels[Math.floor(i / 10) % 4] as string;
        const timeNs = BigInt(T0 + 1 + Math.floor((i / LINES) * (HOUR - 1))) * NS + BigInt(i % 1000);
        batch.push({ timeNs, observedTimeNs: timeNs, severityNumber: 0, severityText: level, body, stream: { job: 'bench', app, level }, attributes: {}, resource: {}, traceId: '', spanId: '' });
        text += `${body}\n`;
        rawBytes += Buffer.byteLength(body) + 1;
      }
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      const a = store.appender();
      a.appendLogs(TENANT, batch);
      await a.commit();
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    console.log(`  ingest through the appender: ${((LINES / (performance.now() - ingestStart)) * 1000).toFixed(0)} lines/s`);

    const engine = createEngine();
    const logs = tenantQueryable(store, TENANT);
    const metric = (q: string, start: number, end: number, step: number | undefined) =>
      evalMetricQuery(parseLogql(q) as MetricExpr, start, end, step, { logs, engine, maxSamples: 100_000_000 });

    console.log('1. substring filter over every line');
    const grep = await best(`grep -c '${NEEDLE}'`, async () => {
      const r = spawnSync('grep', ['-c', '-F', NEEDLE, flat], { encoding: 'utf8' });
      return Number(r.stdout.trim());
    });
    const vigil = await best(`Vigil sum(count_over_time({job="bench"} |= "${NEEDLE}" [1h]))`, async () => {
      const r = await metric(`sum(count_over_time({job="bench"} |= "${NEEDLE}" [1h]))`, T0 + HOUR, T0 + HOUR, undefined);
      return r.resultType === 'vector' ? (r.result[0]?.v ?? 0) : NaN;
    });
    if (vigil.result !== grep.result) throw new Error(`Vigil counted ${vigil.result} lines, grep ${grep.result}`);
    console.log(`  both count ${grep.result} lines; Vigil / grep = ${(vigil.ms / grep.ms).toFixed(2)}×`);
    const q = store.querier(TENANT, T0, T0 + HOUR);
    const range = { startNs: BigInt(T0) * NS, endNs: BigInt(T0 + HOUR) * NS, direction: 'backward' as const, limit: 100 };
    await best(`Vigil {job="bench"} |= "${NEEDLE}" limit 100`, () => evalLogQuery(q, parseLogql(`{job="bench"} |= "${NEEDLE}"`) as LogExpr, range));

    console.log('2. stream selector + time range');
    const five = { startNs: BigInt(T0 + 30 * 60_000) * NS, endNs: BigInt(T0 + 35 * 60_000) * NS, direction: 'backward' as const, limit: 1000 };
    const sel = await best('{app="app-3", level="error"} over 5m, limit 1000', () => evalLogQuery(q, parseLogql('{app="app-3", level="error"}') as LogExpr, five));
    console.log(`  ${sel.result.reduce((n, s) => n + s.entries.length, 0)} lines returned`);

    console.log('3. metric query over the hour');
    await best('sum by (level) (count_over_time({job="bench"}[1m])), step 1m', () => metric('sum by (level) (count_over_time({job="bench"}[1m]))', T0 + 60_000, T0 + HOUR, 60_000));

    const [oneStream] = await q.selectStreams([{ type: '=', name: 'app', value: 'app-3' }, { type: '=', name: 'level', value: 'error' }]);
    const streamId = await streamIdOf(q, oneStream ?? {});
    await store.close();
    const disk = statSync(dbPath).size;
    console.log('4. size');
    console.log(`  raw ${(rawBytes / LINES).toFixed(1)} B/line, on disk ${(disk / LINES).toFixed(1)} B/line (${((disk / rawBytes) * 100).toFixed(0)}% of raw)`);
    await measureLayouts(dbPath, dir, LINES, NEEDLE, { id: streamId, fromNs: five.startNs, toNs: five.endNs });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
