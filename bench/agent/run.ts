/*
 * Node agent cost: npx tsx bench/agent/run.ts [--seconds 90] [--interval 15s] [--log-rate 20]
 *
 * Runs the built `vigil agent` as a user would (host and container metrics every --interval, one
 * log file tailed while this script appends --log-rate lines/s to it), shipping to a minimal
 * OTLP/HTTP sink in this process (which answers 200 and counts what arrives), and beside it the
 * Debian node_exporter scraped at the same interval. Prints, for each, CPU as a share of one core
 * over the measured window (after a warm-up) and RSS (peak and last), from /proc/<pid>.
 * Targets (issue 11): agent < 2 % of one core and < 80 MB RSS at a 15 s interval.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { freePort, repoRoot } from '../../test/support/index.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '90' }, interval: { type: 'string', default: '15s' }, 'log-rate': { type: 'string', default: '20' } } });
const seconds = Number(values.seconds);
const intervalMs = Number(/^(\d+)s$/.exec(values.interval)?.[1] ?? '15') * 1000;
const logRate = Number(values['log-rate']);
const TICKS = 100; // USER_HZ
const WARMUP_MS = 5000;

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}
const rssBytes = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

interface Watched {
  readonly name: string;
  readonly proc: ChildProcess;
  cpuAtStart: number;
  peakRss: number;
  lastRss: number;
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-bench-'));
const logFile = join(dir, 'app.log');
writeFileSync(logFile, '');

// The sink: an OTLP/HTTP receiver that takes everything.
const received = { metrics: 0, logs: 0, bytes: 0 };
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    received.bytes += body.length;
    const json = JSON.parse(gunzipSync(body).toString('utf8')) as { resourceLogs?: { scopeLogs: { logRecords: unknown[] }[] }[] };
    if (req.url === '/v1/logs') received.logs += (json.resourceLogs ?? []).reduce((n, r) => n + r.scopeLogs.reduce((m, s) => m + s.logRecords.length, 0), 0);
    else received.metrics++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const watched: Watched[] = [];
const agent = spawn(process.execPath, [join(repoRoot, 'dist/bin/vigil.js'), 'agent', '--server', sinkUrl, '--interval', `${intervalMs / 1000}s`, '--data-dir', join(dir, 'agent'), '--log', logFile, '--log-level', 'warn'], { stdio: 'inherit' });
watched.push({ name: 'vigil agent', proc: agent, cpuAtStart: 0, peakRss: 0, lastRss: 0 });

const nodeExporterBinary = '/usr/bin/prometheus-node-exporter';
let scrapeTimer: NodeJS.Timeout | undefined;
if (existsSync(nodeExporterBinary)) {
  const port = await freePort();
  const ne = spawn(nodeExporterBinary, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  watched.push({ name: 'node_exporter (scraped)', proc: ne, cpuAtStart: 0, peakRss: 0, lastRss: 0 });
  const scrape = (): void => void fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
  setTimeout(scrape, 1000);
  scrapeTimer = setInterval(scrape, intervalMs);
}

let written = 0;
const writer = setInterval(() => {
  let lines = '';
  for (let i = 0; i < logRate; i++) lines += `${new Date().toISOString()} INFO request ${written++} handled in ${(written * 7) % 100} ms path=/api/items/${written % 1000}\n`;
  appendFileSync(logFile, lines);
}, 1000);

await new Promise((r) => setTimeout(r, WARMUP_MS));
const t0 = performance.now();
for (const w of watched) w.cpuAtStart = cpuSeconds(w.proc.pid as number);
const sampler = setInterval(() => {
  for (const w of watched) {
    w.lastRss = rssBytes(w.proc.pid as number);
    w.peakRss = Math.max(w.peakRss, w.lastRss);
  }
}, 500);
await new Promise((r) => setTimeout(r, seconds * 1000));
const elapsed = (performance.now() - t0) / 1000;
clearInterval(sampler);
clearInterval(writer);
if (scrapeTimer !== undefined) clearInterval(scrapeTimer);

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
const rows = watched.map((w) => {
  const cpu = (cpuSeconds(w.proc.pid as number) - w.cpuAtStart) / elapsed;
  return { name: w.name, cpu, peak: w.peakRss, last: w.lastRss };
});
for (const w of watched) w.proc.kill('SIGTERM');
sink.close();

process.stdout.write(`\nnode agent bench: ${elapsed.toFixed(0)} s measured after ${WARMUP_MS / 1000} s warm-up, interval ${intervalMs / 1000} s, ${logRate} log lines/s tailed; load ${loadavg()[0]?.toFixed(2)}\n`);
for (const r of rows) process.stdout.write(`  ${r.name.padEnd(24)} CPU ${(r.cpu * 100).toFixed(2)} % of one core   RSS peak ${mb(r.peak)}, last ${mb(r.last)}\n`);
const [a, n] = rows;
if (a !== undefined && n !== undefined) process.stdout.write(`  agent / node_exporter: CPU ${(a.cpu / Math.max(n.cpu, 1e-9)).toFixed(2)}×, RSS ${(a.peak / n.peak).toFixed(2)}×\n`);
process.stdout.write(`  sink received ${received.metrics} metric batches, ${received.logs} of ${written} log lines, ${mb(received.bytes)} gzip'ed\n`);
process.stdout.write(`  targets: CPU < 2 % ${a !== undefined && a.cpu < 0.02 ? 'met' : 'MISSED'}, RSS < 80 MB ${a !== undefined && a.peak < 80 * 1024 * 1024 ? 'met' : 'MISSED'}\n`);
rmSync(dir, { recursive: true, force: true });
