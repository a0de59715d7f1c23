import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '../../storage/duckdb/index.js';
import type { LabelMatcher } from '../../storage/index.js';
import { counterValue, DAY_MS, HEAVY_T0, HEAVY_TENANT, heavyStore } from './heavyStore.js';
import { points } from './samplePoints.js';

/**
 * The read path stops when it should (issue #10): an aborted signal interrupts the running
 * DuckDB statement and frees its connection; a sample budget stops the read at the first chunk
 * past it. One read connection, so "the connection is free again" is the very same one.
 */
describe('DuckDbStore: cancellation and the sample budget, on real data', () => {
  let dir: string;
  let store: DuckDbStore;
  let registry: Registry;
  // Every sample of the 1000 dense series: DuckDB streams millions of rows and the querier turns them into samples.
  const dense: LabelMatcher[] = [{ type: '=', name: '__name__', value: 'dense' }];
  const slow = (q: ReturnType<typeof querier>) => q.selectSamples(dense);
  const small: LabelMatcher[] = [...dense, { type: '=', name: 'i', value: '7' }];
  const querier = (signal?: AbortSignal) => store.querier(HEAVY_TENANT, HEAVY_T0, HEAVY_T0 + DAY_MS - 1, signal === undefined ? {} : { signal });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cancel-'));
    ({ store, registry } = await heavyStore(dir, { denseSamples: 6_000_000 }, { readConnections: 1 }));
  }, 60_000);

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // How long the whole read takes here, measured rather than assumed (the machine's speed varies):
  // the abort below must stop the statement well before the read would have ended by itself.
  let fullReadMs = 0;
  it('reads every sample of the dense series when nothing stops it (the yardstick for the aborts)', async () => {
    const started = performance.now();
    const all = await slow(querier());
    fullReadMs = performance.now() - started;
    expect(all).toHaveLength(1000);
    expect(all.reduce((n, s) => n + s.timestamps.length, 0)).toBe(6_000_000);
    console.log(`full read of 6M samples: ${Math.round(fullReadMs)} ms`);
  });

  it('aborting early stops the statement within 1 s, and the same connection answers the next query', async () => {
    const canceledBefore = await counterValue(registry, 'vigil_store_reads_canceled_total');
    const controller = new AbortController();
    const abortAfterMs = Math.min(200, fullReadMs / 4);
    const started = performance.now();
    setTimeout(() => controller.abort(), abortAfterMs);
    await expect(slow(querier(controller.signal))).rejects.toMatchObject({ code: 'timeout', message: 'query timed out in expression evaluation' });
    const stoppedAfterMs = performance.now() - started - abortAfterMs;
    expect(stoppedAfterMs).toBeLessThan(1000);
    expect(await counterValue(registry, 'vigil_store_reads_canceled_total')).toBe(canceledBefore + 1);

    const next = performance.now();
    expect(points((await querier().selectSamples(small))[0])).toHaveLength(6000);
    console.log(`aborted statement stopped ${Math.round(stoppedAfterMs)} ms after the abort; next query took ${Math.round(performance.now() - next)} ms`);
  });

  it('a read waiting for the busy connection leaves the line when its signal aborts', async () => {
    const holder = new AbortController();
    const running = slow(querier(holder.signal));
    // The waiting read gives up long before the one holding the connection could have finished.
    await expect(querier(AbortSignal.timeout(Math.min(100, fullReadMs / 8))).selectSamples(small)).rejects.toMatchObject({ code: 'timeout' });
    holder.abort();
    await expect(running).rejects.toMatchObject({ code: 'timeout' });
  });

  it('a signal that already aborted reads nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(querier(controller.signal).selectSamples(dense)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('over its sample budget, selectSamples stops at the first chunk past it instead of loading all 6 million', async () => {
    const before = await counterValue(registry, 'vigil_store_samples_read_total');
    const started = performance.now();
    await expect(querier().selectSamples(dense, { maxSamples: 10_000 })).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: 'query processing would load too many samples into memory in query execution',
    });
    const elapsed = performance.now() - started;
    const fetched = (await counterValue(registry, 'vigil_store_samples_read_total')) - before;
    // DuckDB hands over 2048 rows per chunk: the read stops within one chunk of the budget.
    expect(fetched).toBeGreaterThan(10_000);
    expect(fetched).toBeLessThanOrEqual(10_000 + 2048);
    expect(elapsed).toBeLessThan(1000);
    console.log(`budget 10000 of 6000000 samples: fetched ${fetched} in ${Math.round(elapsed)} ms`);
    // Within budget the same read answers in full.
    const within = await querier().selectSamples(small, { maxSamples: 6000 });
    expect(points(within[0])).toHaveLength(6000);
  });
});
