import { describe, expect, it } from 'vitest';
import { SeriesColumns } from '../../storage/duckdb/index.js';
import { prng } from '../support/index.js';

/**
 * Gathering rows that arrive in any order into per-series columns sorted by time: whatever the
 * number of series (one staging bucket, exactly 256, more series than buckets) and whatever the
 * arrival order (time order across series as live ingest writes, series after series, shuffled),
 * each series gets exactly its rows, by time, ties in arrival order.
 */
describe('SeriesColumns', () => {
  type Row = { s: number; t: number; v: number };

  const arrivals: Array<[string, (rows: Row[], rnd: () => number) => Row[]]> = [
    ['time order across series', (rows) => [...rows].sort((a, b) => a.t - b.t)],
    ['series after series', (rows) => [...rows].sort((a, b) => a.s - b.s || a.t - b.t)],
    ['shuffled', (rows, rnd) => {
      const out = [...rows];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [out[i], out[j]] = [out[j] as Row, out[i] as Row];
      }
      return out;
    }],
  ];
  const sizes = [0, 1, 255, 256, 257, 1000, 20_000];

  // Integer milliseconds (the store's), and times the packed native sort cannot take: fractional, or spread too wide.
  const timeKinds: Array<[string, (rnd: () => number) => number]> = [
    ['integer ms', (rnd) => Math.floor(rnd() * 50) * 1000],
    ['fractional', (rnd) => Math.floor(rnd() * 50) * 1000 + 0.25],
    ['spread over 2^52 ms', (rnd) => Math.floor(rnd() * 50) * 2 ** 46],
  ];
  const cases = [
    ...sizes.flatMap((n) => arrivals.map(([name, order]) => [n, name, order, timeKinds[0] as (typeof timeKinds)[number]] as const)),
    ...timeKinds.slice(1).map((kind) => [1000, 'shuffled', (arrivals[2] as (typeof arrivals)[number])[1], kind] as const),
  ];

  it.each(cases)('%i series, rows in %s (%#)', (seriesCount, _name, order, [, timeOf]) => {
    const rnd = prng(seriesCount + 7);
    const rows: Row[] = [];
    for (let s = 0; s < seriesCount; s++) {
      const n = Math.floor(rnd() * 12); // some series have no row at all
      for (let k = 0; k < n; k++) rows.push({ s, t: timeOf(rnd), v: rnd() });
    }
    const arrived = order(rows, rnd);
    const columns = new SeriesColumns(seriesCount);
    // Chunks of uneven sizes, through arrays reused between chunks as DuckDB's vectors are.
    const idx = new Int32Array(2048);
    const t = new Float64Array(2048);
    const v = new Float64Array(2048);
    for (let from = 0; from < arrived.length; ) {
      const n = Math.min(1 + Math.floor(rnd() * 2048), arrived.length - from);
      for (let i = 0; i < n; i++) {
        const r = arrived[from + i] as Row;
        idx[i] = r.s;
        t[i] = r.t;
        v[i] = r.v;
      }
      columns.appendChunk(idx, t, v, n);
      from += n;
    }
    const expected: Row[][] = Array.from({ length: seriesCount }, () => []);
    for (const r of arrived) (expected[r.s] as Row[]).push(r);
    const want: number[][] = [];
    const got: number[][] = [];
    for (let s = 0; s < seriesCount; s++) {
      const rowsOfS = (expected[s] as Row[]).sort((a, b) => a.t - b.t); // Array.prototype.sort is stable
      const taken = columns.take(s);
      want.push(rowsOfS.map((r) => r.t), rowsOfS.map((r) => r.v));
      got.push(Array.from(taken.timestamps), Array.from(taken.values));
    }
    expect(got).toEqual(want);
  });
});
