import { describe, expect, it } from 'vitest';
import type { TimeSeries } from '../../core/index.js';
import { checkSampleColumns, fromSampleColumns, sampleColumnsSeriesIds, seriesId, toSampleColumns } from '../../core/index.js';

const batch: TimeSeries[] = [
  { labels: { __name__: 'cpu_seconds_total', instance: 'host-1', cpu: '0', mode: 'idle' }, samples: [{ t: 1000, v: 1.5 }, { t: 2000, v: 2.5 }] },
  { labels: { mode: 'user', cpu: '0', instance: 'host-1', __name__: 'cpu_seconds_total' }, samples: [{ t: 1000, v: 0.25 }] },
  { labels: { __name__: 'up', instance: 'host-1' }, samples: [] },
  { labels: { __name__: 'up', instance: 'host-2', note: 'a\\u0000b ü 日本' }, samples: [{ t: 3000, v: Number.NaN }] },
];

describe('sample columns (labels as a symbol table)', () => {
  const cols = toSampleColumns(batch);

  it('hold every distinct string and label pair once', () => {
    expect(cols.symbols).toHaveLength(new Set(batch.flatMap((s) => Object.entries(s.labels).flat())).size);
    expect(cols.pairs.length / 2).toBe(new Set(batch.flatMap((s) => Object.entries(s.labels).map((e) => e.join('=')))).size);
    expect([...cols.pairCounts]).toEqual([4, 4, 2, 3]);
    expect([...cols.counts]).toEqual([2, 1, 0, 1]);
  });

  it('round-trip to the same series', () => {
    expect(fromSampleColumns(cols)).toEqual(batch);
  });

  it('give each series the id seriesId gives its labels', () => {
    const ids = sampleColumnsSeriesIds(cols, checkSampleColumns(cols));
    expect(ids).toEqual(batch.map((s) => seriesId(s.labels)));
  });

  it('of nothing are empty and valid', () => {
    const empty = toSampleColumns([]);
    expect(sampleColumnsSeriesIds(empty, checkSampleColumns(empty))).toEqual([]);
  });
});
