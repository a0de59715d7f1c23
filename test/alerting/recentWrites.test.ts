import { describe, expect, it } from 'vitest';
import { MemoryStorage, RecentWrites } from '../../alerting/index.js';
import { createEngine } from '../../query/index.js';

describe('rules read their own latest output before the store has it', () => {
  it('merges recent writes into store reads, per series and in time order', async () => {
    const store = new MemoryStorage();
    store.append([{ labels: { __name__: 'r', a: '1' }, samples: [{ t: 1000, v: 1 }] }]);
    const recent = new RecentWrites(60_000);
    recent.add([
      { labels: { __name__: 'r', a: '1' }, samples: [{ t: 2000, v: 2 }] },
      { labels: { __name__: 'r', a: '2' }, samples: [{ t: 2000, v: 20 }] },
    ]);
    const q = recent.wrap(store).querier(0, 3000);
    const got = await q.selectSamples([{ type: '=', name: '__name__', value: 'r' }]);
    expect(got.map((s) => [s.labels.a, [...s.timestamps], [...s.values]]).sort()).toEqual([
      ['1', [1000, 2000], [1, 2]],
      ['2', [2000], [20]],
    ]);
    const v = await createEngine().instantQuery(recent.wrap(store), 'sum(r)', 2000);
    expect(v.resultType === 'vector' ? v.result[0]?.v : undefined).toBe(22);
  });

  it('forgets writes older than its window', async () => {
    const recent = new RecentWrites(1000);
    recent.add([{ labels: { __name__: 'old' }, samples: [{ t: 0, v: 1 }] }]);
    recent.add([{ labels: { __name__: 'new' }, samples: [{ t: 5000, v: 1 }] }]);
    const got = await recent.wrap(new MemoryStorage()).querier(0, 10_000).selectSamples([{ type: '=~', name: '__name__', value: '.+' }]);
    expect(got.map((s) => s.labels.__name__)).toEqual(['new']);
  });
});
