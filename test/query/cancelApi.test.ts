import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { prometheusApi } from '../../query/index.js';
import type { DuckDbStore } from '../../storage/duckdb/index.js';
import { counterValue, HEAVY_T0, HEAVY_TENANT, heavyStore } from '../storage/heavyStore.js';

/**
 * Cancellation through the HTTP API against a listening server and the real store: a client
 * that goes away, and the `timeout` parameter, stop the store's statement (counted in
 * vigil_store_reads_canceled_total), and the store's single read connection serves the next
 * query at once. `dense` at T0 + 6 s selects 6 million samples: seconds of work uncancelled.
 */
describe('query API: cancellation reaches the store', () => {
  let dir: string;
  let store: DuckDbStore;
  let registry: Registry;
  let app: FastifyInstance;
  let base: string;
  /** How long the heavy query takes when nobody cancels it, measured on this machine in this run. */
  let heavyMs: number;
  const heavyQuery = `query=dense&time=${(HEAVY_T0 + 6000) / 1000}`;
  const canceled = (): Promise<number> => counterValue(registry, 'vigil_store_reads_canceled_total');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cancel-api-'));
    ({ store, registry } = await heavyStore(dir, { denseSamples: 6_000_000 }, { readConnections: 1 }));
    app = Fastify();
    await app.register(prometheusApi, { store, registry, logger: createLogger('silent'), defaultTenant: HEAVY_TENANT });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    const started = performance.now();
    expect((await fetch(`${base}/api/v1/query?${heavyQuery}`)).status).toBe(200);
    heavyMs = performance.now() - started;
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls until the store has counted one more canceled read; returns how long that took. */
  const canceledWithin = async (before: number, ms: number): Promise<number> => {
    const started = performance.now();
    while (performance.now() - started < ms) {
      if ((await canceled()) > before) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`the store saw no cancellation within ${ms} ms`);
  };

  /**
   * A small query on the same (only) read connection answers in a fraction of the heavy query's
   * time: the connection is free, not still working on the canceled statement. Relative to the
   * heavy query's own time in this run, so a loaded machine slows both sides alike.
   */
  const smallQueryMs = async (): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${base}/api/v1/query?query=dense{i="7"}&time=${(HEAVY_T0 + 6000) / 1000}`);
    expect(res.status).toBe(200);
    return performance.now() - started;
  };

  it('the heavy query is heavy: without cancellation it runs for more than a second', () => {
    expect(heavyMs).toBeGreaterThan(1000);
  });

  it('a client that disconnects mid-query stops the store within 1 s and frees the connection', async () => {
    const before = await canceled();
    const client = new AbortController();
    const request = fetch(`${base}/api/v1/query?${heavyQuery}`, { signal: client.signal });
    setTimeout(() => client.abort(), 200);
    await expect(request).rejects.toThrow();
    const stoppedMs = await canceledWithin(before, 1000);
    expect(await smallQueryMs()).toBeLessThan(heavyMs / 2);
    console.log(`disconnect: the store stopped ${Math.round(stoppedMs)} ms after the client went away`);
  });

  it('the timeout parameter stops the store too, and answers 503 timeout', async () => {
    const before = await canceled();
    const started = performance.now();
    const res = await fetch(`${base}/api/v1/query?${heavyQuery}&timeout=200ms`);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
    expect(elapsed).toBeLessThan(1200);
    expect(await canceled()).toBe(before + 1);
    expect(await smallQueryMs()).toBeLessThan(heavyMs / 2);
  });
});
