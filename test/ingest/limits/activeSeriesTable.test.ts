import { describe, expect, it } from 'vitest';
import { ActiveSeriesTable } from '../../../ingest/limits/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = 1_700_000_000_000;

type Op = { at: number; hi: number; lo: number; limit?: number; admitted: boolean };

describe('active series table: distinct series within the window, under a limit', () => {
  const cases: { name: string; ops: Op[]; size: number }[] = [
    {
      name: 'a new series is added, a known one is found again',
      ops: [
        { at: T0, hi: 1, lo: 2, admitted: true },
        { at: T0, hi: 1, lo: 2, admitted: true },
        { at: T0, hi: 3, lo: 4, admitted: true },
      ],
      size: 2,
    },
    {
      name: 'at the limit a new series is refused, known series still pass',
      ops: [
        { at: T0, hi: 0, lo: 1, limit: 2, admitted: true },
        { at: T0, hi: 0, lo: 2, limit: 2, admitted: true },
        { at: T0, hi: 0, lo: 3, limit: 2, admitted: false },
        { at: T0 + MIN, hi: 0, lo: 1, limit: 2, admitted: true },
        { at: T0 + MIN, hi: 0, lo: 3, limit: 2, admitted: false },
      ],
      size: 2,
    },
    {
      name: 'ids equal in the low 32 bits are different series',
      ops: [
        { at: T0, hi: 1, lo: 7, limit: 2, admitted: true },
        { at: T0, hi: 2, lo: 7, limit: 2, admitted: true },
        { at: T0, hi: 3, lo: 7, limit: 2, admitted: false },
        { at: T0, hi: 2, lo: 7, limit: 2, admitted: true },
      ],
      size: 2,
    },
    {
      name: 'ids equal in the high 32 bits are different series',
      ops: [
        { at: T0, hi: 0xffffffff, lo: 1, admitted: true },
        { at: T0, hi: 0xffffffff, lo: 0xffffffff, admitted: true },
        { at: T0, hi: -1, lo: -1, limit: 2, admitted: true }, // signed words name the same id
      ],
      size: 2,
    },
    {
      name: 'a series not seen for an hour frees its place for a new one',
      ops: [
        { at: T0, hi: 0, lo: 1, limit: 1, admitted: true },
        { at: T0 + 30 * MIN, hi: 0, lo: 2, limit: 1, admitted: false },
        { at: T0 + HOUR + MIN, hi: 0, lo: 2, limit: 1, admitted: true },
        { at: T0 + HOUR + MIN, hi: 0, lo: 1, limit: 1, admitted: false },
      ],
      size: 1,
    },
    {
      name: 'seeing a series again keeps it active',
      ops: [
        { at: T0, hi: 0, lo: 1, limit: 1, admitted: true },
        { at: T0 + 50 * MIN, hi: 0, lo: 1, limit: 1, admitted: true },
        { at: T0 + HOUR + MIN, hi: 0, lo: 2, limit: 1, admitted: false },
      ],
      size: 1,
    },
    {
      name: 'a late sample with an older clock does not age a series',
      ops: [
        { at: T0 + 50 * MIN, hi: 0, lo: 1, limit: 1, admitted: true },
        { at: T0, hi: 0, lo: 1, limit: 1, admitted: true },
        { at: T0 + HOUR + MIN, hi: 0, lo: 2, limit: 1, admitted: false },
      ],
      size: 1,
    },
  ];
  it.each(cases)('$name', ({ ops, size }) => {
    const table = new ActiveSeriesTable(HOUR, 16);
    for (const op of ops) expect(table.touch(op.hi, op.lo, op.at, op.limit ?? 0), JSON.stringify(op)).toBe(op.admitted);
    expect(table.size).toBe(size);
  });

  it('grows past its first capacity, keeping every series findable, and shrinks once they expire', () => {
    const table = new ActiveSeriesTable(HOUR, 16);
    const n = 10_000;
    // Clustered ids (consecutive low words, a few high words) are the hardest case for linear probing.
    for (let i = 0; i < n; i++) expect(table.touch(i % 3, i, T0)).toBe(true);
    expect(table.size).toBe(n);
    expect(table.capacity).toBeGreaterThanOrEqual(n / 0.75);
    expect(table.capacity * 0.5).toBeLessThanOrEqual(n * 2); // not grown more than needed
    for (let i = 0; i < n; i++) expect(table.touch(i % 3, i, T0, n)).toBe(true);
    expect(table.touch(7, 7, T0, n)).toBe(false);
    expect(table.purge(T0 + HOUR + MIN)).toBe(0);
    expect(table.capacity).toBe(16);
  });

  it('purge keeps what was seen within the window', () => {
    const table = new ActiveSeriesTable(HOUR, 16);
    for (let i = 0; i < 100; i++) table.touch(0, i, T0 + (i < 40 ? 0 : 30 * MIN));
    expect(table.purge(T0 + HOUR + MIN)).toBe(60);
    for (let i = 40; i < 100; i++) expect(table.touch(0, i, T0 + HOUR + MIN, 60)).toBe(true);
    expect(table.touch(0, 0, T0 + HOUR + MIN, 60)).toBe(false);
  });

  it('touchIfKnown refreshes a held series and leaves a new one out; has and hasRoom change nothing while there is room', () => {
    const table = new ActiveSeriesTable(HOUR, 16);
    expect(table.touchIfKnown(0, 1, T0)).toBe(false);
    expect(table.has(0, 1)).toBe(false);
    table.touch(0, 1, T0);
    expect(table.touchIfKnown(0, 1, T0 + 50 * MIN)).toBe(true);
    // Refreshed at minute 50: still active 61 minutes after the first touch, so the limit of 1 is full.
    expect(table.hasRoom(T0 + 61 * MIN, 1)).toBe(false);
    // An hour after the refresh it expires, and the purge hasRoom runs frees its place.
    expect(table.hasRoom(T0 + 112 * MIN, 1)).toBe(true);
    expect(table.size).toBe(0);
  });
});
