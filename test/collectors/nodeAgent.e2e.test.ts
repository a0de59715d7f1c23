import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { VigilProcess } from '../support/index.js';
import { freePort, repoRoot, startVigil } from '../support/index.js';

/**
 * The node agent as a user runs it (`vigil agent --server URL`, the built CLI) against a real
 * Vigil: host metrics and a tailed log file arrive; then Vigil stops, the agent buffers on disk
 * (and the log file is rotated meanwhile), Vigil comes back, and nothing is lost.
 */
const HOST = 'e2e-node';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function query(url: string, q: string, timeSec?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const params = new URLSearchParams({ query: q, ...(timeSec === undefined ? {} : { time: String(timeSec) }) });
  const res = await fetch(`${url}/api/v1/query?${params}`);
  const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result;
}

describe('vigil agent → vigil, end to end', () => {
  let dir: string;
  let port: number;
  let vigil: VigilProcess;
  let agent: ChildProcess;
  let agentOut = '';
  const logDir = (): string => join(dir, 'logs');
  const bufferDir = (): string => join(dir, 'agent', 'buffer');
  const expectedLines = ['line 1', 'line 2'];
  let outage: { stoppedAt: number; metricBatches: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(os.tmpdir(), 'vigil-agent-e2e-'));
    mkdirSync(logDir());
    writeFileSync(join(logDir(), 'app.log'), 'line 1\nline 2\n');
    port = await freePort();
    vigil = await startVigil({ dataDir: join(dir, 'data'), port });
    agent = spawn(
      process.execPath,
      [join(repoRoot, 'dist/bin/vigil.js'), 'agent', '--server', vigil.url, '--interval', '1s', '--data-dir', join(dir, 'agent'), '--log', join(logDir(), '*.log'), '--log-job', 'e2e-app', '--hostname', HOST, '--no-containers'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.stdout?.on('data', (d: Buffer) => (agentOut += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (agentOut += d.toString()));
  }, 90_000);

  afterAll(async () => {
    if (agent.exitCode === null) agent.kill('SIGKILL');
    await vigil?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers host metrics with node_exporter\'s names and this machine\'s values', async () => {
    const memTotal = await until('node_memory_MemTotal_bytes', async () => (await query(vigil.url, `node_memory_MemTotal_bytes{instance="${HOST}"}`))[0]);
    expect(memTotal.metric).toEqual({ __name__: 'node_memory_MemTotal_bytes', job: 'node', instance: HOST });
    const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    expect(Number(memTotal.value[1])).toBe(kb * 1024);
    const cpus = await query(vigil.url, `count(node_cpu_seconds_total{instance="${HOST}"})`);
    expect(Number(cpus[0]?.value[1])).toBe(os.cpus().length * 8);
  }, 90_000);

  it('ships its own metrics with the host\'s', async () => {
    const sent = await until('vigil_agent_batches_total', async () => (await query(vigil.url, `vigil_agent_batches_total{instance="${HOST}",signal="metrics",result="sent"}`))[0]);
    expect(Number(sent.value[1])).toBeGreaterThan(0);
  }, 90_000);

  it('buffers on disk while the server is stopped, through a log rotation', async () => {
    expect(await vigil.stop()).toBe(0);
    const stoppedAt = Date.now();
    for (let i = 1; i <= 5; i++) appendFileSync(join(logDir(), 'app.log'), `outage ${i}\n`);
    renameSync(join(logDir(), 'app.log'), join(logDir(), 'app.log.1'));
    writeFileSync(join(logDir(), 'app.log'), 'after rotation\n');
    expectedLines.push('outage 1', 'outage 2', 'outage 3', 'outage 4', 'outage 5', 'after rotation');
    const files = await until('batches in the buffer', async () => {
      const f = readdirSync(bufferDir());
      return f.filter((n) => n.includes('.metrics.')).length >= 3 && f.some((n) => n.includes('.logs.')) ? f : undefined;
    });
    outage = { stoppedAt, metricBatches: files.filter((n) => n.includes('.metrics.')).length };
  }, 90_000);

  it('delivers everything buffered once the server is back', async () => {
    vigil = await startVigil({ dataDir: join(dir, 'data'), port });
    const backAt = Date.now();
    await until('an empty buffer', async () => (readdirSync(bufferDir()).length === 0 ? true : undefined));
    // One MemTotal sample per buffered collection, all stamped while the server was away.
    const window = Math.ceil((backAt - outage.stoppedAt) / 1000);
    const during = await query(vigil.url, `count_over_time(node_memory_MemTotal_bytes{instance="${HOST}"}[${window}s])`, backAt / 1000);
    expect(Number(during[0]?.value[1])).toBeGreaterThanOrEqual(outage.metricBatches);
  }, 90_000);

  it('stored every log line exactly once, labelled with its job and host', async () => {
    // The agent counts the records it handed on in its own metrics, which it ships every second:
    // once they reach every line written and its buffer is empty, the server has them all.
    await until('every line handed on', async () => {
      const r = await query(vigil.url, `vigil_agent_log_records_total{instance="${HOST}"}`);
      return Number(r[0]?.value[1]) >= expectedLines.length ? true : undefined;
    });
    await until('an empty buffer', async () => (readdirSync(bufferDir()).length === 0 ? true : undefined));
    agent.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => (agent.exitCode !== null ? r(agent.exitCode) : agent.once('exit', r)));
    expect(code, agentOut).toBe(0);
    expect(await vigil.stop()).toBe(0);
    const store = new DuckDbStore({ path: join(dir, 'data', 'vigil.duckdb'), partitionMs: 24 * 3600_000, registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    try {
      const from = Date.now() - 3600_000;
      const logs = await store.querier('default', from, Date.now()).selectLogs({
        matchers: [{ type: '=', name: 'job', value: 'e2e-app' }],
        direction: 'forward',
        limit: 1000,
        startNs: BigInt(from) * 1_000_000n,
        endNs: BigInt(Date.now()) * 1_000_000n,
      });
      expect(logs.map((l) => l.body).sort()).toEqual([...expectedLines].sort());
      expect(logs[0]?.stream).toEqual({ job: 'e2e-app', instance: HOST });
    } finally {
      await store.close();
    }
  }, 90_000);
});
