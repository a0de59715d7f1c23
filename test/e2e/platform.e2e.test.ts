import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { VigilProcess } from '../support/vigilProcess.js';
import { startVigil } from '../support/vigilProcess.js';

/**
 * The foundation's promise, end to end through the built CLI: start on the embedded default,
 * accept OTLP/HTTP JSON, make it durable, and answer it back through the Prometheus API.
 */
describe('vigil start (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  let vigil: VigilProcess & { readyAfterMs: number };
  const nowMs = Date.now();

  beforeAll(async () => {
    vigil = await startVigil({ dataDir });
  });
  afterAll(async () => {
    await vigil?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready within 20 s', () => {
    expect(vigil.readyAfterMs).toBeLessThan(20_000);
    console.log(`vigil ready after ${vigil.readyAfterMs} ms`);
  });

  it('accepts an OTLP JSON gauge and cumulative sum and answers them through /api/v1/query', async () => {
    const body = readFileSync(join(import.meta.dirname, 'data', 'otlp-gauge-and-sum.json'), 'utf8')
      .replaceAll('${NOW_NS}', `${BigInt(nowMs) * 1_000_000n}`)
      .replaceAll('${START_NS}', `${BigInt(nowMs - 60_000) * 1_000_000n}`);
    const res = await fetch(`${vigil.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});

    const expected = [
      {
        query: 'queue_depth',
        metric: { __name__: 'queue_depth', job: 'checkout', instance: 'checkout-7d9f', queue: 'orders' },
        value: '17.5',
      },
      {
        query: 'http_server_requests_total{http_method="GET"}',
        metric: { __name__: 'http_server_requests_total', job: 'checkout', instance: 'checkout-7d9f', http_method: 'GET', http_status_code: '200' },
        value: '42',
      },
    ];
    for (const { query, metric, value } of expected) {
      // The writer makes data visible within its batch wait; poll briefly rather than sleep blindly.
      let data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } | undefined;
      for (let i = 0; i < 50; i++) {
        const q = await fetch(`${vigil.url}/api/v1/query?query=${encodeURIComponent(query)}&time=${(nowMs + 1000) / 1000}`);
        expect(q.status).toBe(200);
        const json = (await q.json()) as { status: string; data: typeof data };
        expect(json.status).toBe('success');
        data = json.data;
        if (data !== undefined && data.result.length > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(data?.resultType).toBe('vector');
      expect(data?.result).toEqual([{ metric, value: [(nowMs + 1000) / 1000, value] }]);
    }
  });

  it('watches its own machine from the first start', async () => {
    let names: string[] = [];
    for (let i = 0; i < 50 && !names.includes('node_load1'); i++) {
      const res = await fetch(`${vigil.url}/api/v1/label/__name__/values`);
      names = ((await res.json()) as { data: string[] }).data;
      if (!names.includes('node_load1')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(names).toEqual(expect.arrayContaining(['node_load1', 'node_cpu_seconds_total', 'node_memory_MemTotal_bytes']));
    const res = await fetch(`${vigil.url}/api/v1/query?query=node_memory_MemTotal_bytes`);
    const json = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    expect(json.data.result).toHaveLength(1);
    expect(json.data.result[0]?.metric.job).toBe('vigil-host');
    expect(Number(json.data.result[0]?.value[1])).toBeGreaterThan(0);
  });

  it('exports its own metrics', async () => {
    const res = await fetch(`${vigil.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of [
      'vigil_ingest_accepted_total',
      'vigil_bus_fsyncs_total',
      'vigil_bus_consumer_lag_records',
      'vigil_writer_batches_total',
      'vigil_writer_commit_duration_seconds',
      'vigil_query_requests_total',
      'vigil_process_resident_memory_bytes',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('keeps serving after bad input, with an error that names the problem', async () => {
    const cases: { body: string; type: string; status: number; message: RegExp }[] = [
      { body: '{"resourceMetrics": [', type: 'application/json', status: 400, message: /json|JSON|parse/ },
      { body: 'hello', type: 'text/plain', status: 415, message: /content.type|Content-Type|media type/i },
    ];
    for (const c of cases) {
      const res = await fetch(`${vigil.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': c.type }, body: c.body });
      expect(res.status).toBe(c.status);
      expect(await res.text()).toMatch(c.message);
    }
    expect((await fetch(`${vigil.url}/-/healthy`)).status).toBe(200);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    expect(await vigil.stop()).toBe(0);
    expect(vigil.output()).toContain('vigil stopped');
  });

  it('shipped its own logs into its store', async () => {
    const store = new DuckDbStore({ path: join(dataDir, 'vigil.duckdb'), partitionMs: 24 * 3600_000, registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    try {
      const logs = await store.querier('default', nowMs - 60_000, Date.now()).selectLogs({
        matchers: [{ type: '=', name: 'job', value: 'vigil' }],
        direction: 'forward',
        limit: 1000,
        startNs: BigInt(nowMs - 60_000) * 1_000_000n,
        endNs: BigInt(Date.now()) * 1_000_000n,
      });
      expect(logs.map((l) => l.body)).toContain('vigil started');
      expect(logs.find((l) => l.body === 'vigil started')?.stream).toMatchObject({ job: 'vigil', level: 'info' });
    } finally {
      await store.close();
    }
  });
});
