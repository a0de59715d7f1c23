import { describe, expect, it } from 'vitest';
import { labelPairs } from '../../core/index.js';
import { SeriesLabelCache } from '../../storage/duckdb/index.js';

describe('the series label cache', () => {
  it('hands out a frozen label set with names in sorted order and its pairs', () => {
    const cache = new SeriesLabelCache(10);
    const entry = cache.add(1, 7n, { job: 'node', __name__: 'up', instance: 'a:1' });
    expect(Object.keys(entry.labels)).toEqual(['__name__', 'instance', 'job']);
    expect(Object.isFrozen(entry.labels)).toBe(true);
    expect(entry.pairs).toEqual([['__name__', 'up'], ['instance', 'a:1'], ['job', 'node']]);
    expect(cache.get(1, 7n)).toBe(entry);
    // The pairs are remembered for the frozen object: the engine sorts and keys it without re-sorting.
    expect(labelPairs(entry.labels)).toBe(entry.pairs);
  });

  it('keeps a label named __proto__ as a label, not as the prototype', () => {
    const labels = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const entry = new SeriesLabelCache(10).add(1, 1n, labels);
    expect(Object.keys(entry.labels)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(entry.labels)).toBe(Object.prototype);
  });

  it.each([
    { bound: 10, added: 10, kept: 10, firstKept: true },
    { bound: 10, added: 11, kept: 10, firstKept: false },
    { bound: 10, added: 25, kept: 10, firstKept: false },
    { bound: 100, added: 101, kept: 91, firstKept: false },
    { bound: 0, added: 5, kept: 0, firstKept: false },
  ])('bound $bound after $added series: holds $kept', ({ bound, added, kept, firstKept }) => {
    const cache = new SeriesLabelCache(bound);
    for (let i = 0; i < added; i++) cache.add(1, BigInt(i), { i: String(i) });
    expect(cache.size).toBe(kept);
    expect(cache.get(1, 0n) !== undefined).toBe(firstKept);
    if (bound > 0) expect(cache.get(1, BigInt(added - 1))?.labels).toEqual({ i: String(added - 1) });
  });

  it("keeps tenants apart: one tenant's label set never answers for another's series with the same id", () => {
    const cache = new SeriesLabelCache(10);
    cache.add(1, 42n, { __name__: 'victim', job: 'a' });
    expect(cache.get(2, 42n)).toBeUndefined();
    cache.add(2, 42n, { __name__: 'colliding', job: 'b' });
    expect(cache.get(1, 42n)?.labels).toEqual({ __name__: 'victim', job: 'a' });
    expect(cache.get(2, 42n)?.labels).toEqual({ __name__: 'colliding', job: 'b' });
    expect(cache.size).toBe(2);
  });
});
