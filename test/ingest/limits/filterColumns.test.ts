import { describe, expect, it } from 'vitest';
import type { TimeSeries } from '../../../core/index.js';
import { checkSampleColumns, fromSampleColumns, seriesId, STALE_NAN, toSampleColumns } from '../../../core/index.js';
import { filterSampleColumns, seriesIdWordsOf } from '../../../ingest/limits/index.js';

const series: TimeSeries[] = [
  { labels: { __name__: 'a', job: 'x' }, samples: [{ t: 1, v: 1 }, { t: 2, v: 2 }] },
  { labels: { __name__: 'b', job: 'x', pod: 'p1' }, samples: [{ t: 3, v: STALE_NAN }] },
  { labels: { __name__: 'c' }, samples: [] },
  { labels: { __name__: 'a', job: 'y' }, samples: [{ t: 4, v: 4 }, { t: 5, v: 5 }, { t: 6, v: 6 }] },
];

describe('filterSampleColumns keeps exactly the chosen series, with their labels and samples', () => {
  const cases: { name: string; keep: number[] }[] = [
    { name: 'keep all', keep: [1, 1, 1, 1] },
    { name: 'drop the first', keep: [0, 1, 1, 1] },
    { name: 'drop the last', keep: [1, 1, 1, 0] },
    { name: 'drop every other', keep: [1, 0, 1, 0] },
    { name: 'drop all', keep: [0, 0, 0, 0] },
  ];
  it.each(cases)('$name', ({ keep }) => {
    const cols = toSampleColumns(series);
    const got = filterSampleColumns(cols, Uint8Array.from(keep));
    const expected = series.filter((_s, i) => keep[i] === 1);
    const dropped = series.filter((_s, i) => keep[i] === 0);
    checkSampleColumns(got.kept); // still a valid batch: the store would accept it
    const back = fromSampleColumns(got.kept);
    expect(back).toEqual(expected);
    // Values are copied as bits: the staleness marker's NaN payload survives.
    expect([...new BigUint64Array(got.kept.v.buffer)]).toEqual([...new BigUint64Array(toSampleColumns(expected).v.buffer)]);
    expect(got.droppedSeries).toBe(dropped.length);
    expect(got.droppedSamples).toBe(dropped.reduce((n, s) => n + s.samples.length, 0));
    expect(got.firstDropped).toEqual(dropped[0]?.labels);
  });
});

describe('seriesIdWordsOf gives the same ids as seriesId()', () => {
  it('for every series of a batch, high word then low word', () => {
    const cols = toSampleColumns(series);
    const words = seriesIdWordsOf(cols);
    const got = series.map((_s, i) => (BigInt(words[2 * i] as number) << 32n) | BigInt(words[2 * i + 1] as number));
    expect(got).toEqual(series.map((s) => seriesId(s.labels)));
  });
});
