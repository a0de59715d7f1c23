import { describe, expect, it } from 'vitest';
import { createEngine, tenantQueryable } from '../../query/index.js';
import type { Queryable } from '../../query/index.js';
import { busyUntilAborted, MemoryStore } from './memoryStore.js';

function storeWithOneSeries(): MemoryStore {
  return new MemoryStore().add('acme', { labels: { __name__: 'm' }, samples: [{ t: 1_000_000, v: 1 }] });
}

describe('engine and its queriers', () => {
  it.each([
    { what: 'instant vector: the lookback window, closed', run: (q: Queryable) => createEngine().instantQuery(q, 'm', 1_000_000), minT: 700_000, maxT: 1_000_000 },
    { what: 'instant vector with a 1m lookback', run: (q: Queryable) => createEngine({ lookbackDeltaMs: 60_000 }).instantQuery(q, 'm', 1_000_000), minT: 940_000, maxT: 1_000_000 },
    { what: 'range selector: its range', run: (q: Queryable) => createEngine().instantQuery(q, 'm[1m]', 1_000_000), minT: 940_000, maxT: 1_000_000 },
    { what: 'range query: lookback before start to end', run: (q: Queryable) => createEngine().rangeQuery(q, 'm', 1_000_000, 2_000_000, 10_000), minT: 700_000, maxT: 2_000_000 },
  ])('asks the store only for what it needs — $what', async ({ run, minT, maxT }) => {
    const store = storeWithOneSeries();
    await run(tenantQueryable(store, 'acme'));
    expect(store.ranges).toEqual([{ tenant: 'acme', minT, maxT }]);
  });

  it('reads only the tenant it is given', async () => {
    const store = storeWithOneSeries();
    const mine = await createEngine().instantQuery(tenantQueryable(store, 'acme'), 'm', 1_000_000);
    const theirs = await createEngine().instantQuery(tenantQueryable(store, 'other'), 'm', 1_000_000);
    expect(mine.result).toEqual([{ labels: { __name__: 'm' }, t: 1_000_000, v: 1 }]);
    expect(theirs.result).toEqual([]);
  });

  it('fails with a timeout when the signal aborts while the store is busy', async () => {
    // The store gets the signal and stops: the engine no longer abandons a read that keeps running.
    const stuck: Queryable = { querier: (minT, maxT, options) => ({ ...storeWithOneSeries().querier('acme', minT, maxT), selectSamples: () => busyUntilAborted(options) }) };
    const run = createEngine().instantQuery(stuck, 'm', 1_000_000, { signal: AbortSignal.timeout(10) });
    await expect(run).rejects.toMatchObject({ code: 'timeout', message: 'query timed out in expression evaluation' });
  });

  it('refuses a step that is not positive and an end before the start', async () => {
    const q = tenantQueryable(storeWithOneSeries(), 'acme');
    await expect(createEngine().rangeQuery(q, 'm', 0, 10, 0)).rejects.toMatchObject({ code: 'bad_data' });
    await expect(createEngine().rangeQuery(q, 'm', 10, 0, 1)).rejects.toMatchObject({ code: 'bad_data' });
    expect(() => createEngine({ lookbackDeltaMs: 0 })).toThrow('lookbackDeltaMs must be positive');
  });
});
