import { describe, expect, it } from 'vitest';
import type { CostProfile, ScoredFile } from '../../alerting/anomaly/index.js';
import {
  loadCorpus,
  loadProfiles,
  optimiseThreshold,
  probationLength,
  rowWeights,
  scaledSigmoid,
  scoreCorpus,
  scoreFile,
  windowIndices,
} from '../../alerting/anomaly/index.js';
import { hasNab, nabDir } from './nab-data.js';

const standard: CostProfile = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const lowFn: CostProfile = { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 };

/** A 20-row file at one row per minute; rows 8..11 are the one window (width 4); probation is 3 rows. */
const minute = 60_000;
const timestamps = Array.from({ length: 20 }, (_, i) => i * minute);
const window: [number, number] = [8 * minute, 11 * minute];
function fileFiring(rows: number[], score = 1): ScoredFile {
  const scores = timestamps.map((_, i) => (rows.includes(i) ? score : 0));
  return { name: 'f', timestamps, scores, windows: [window] };
}
const s = (y: number): number => 2 / (1 + Math.exp(5 * y)) - 1;

describe('scaled sigmoid', () => {
  it.each([
    [-1, 0.98661],
    [-0.5, 0.84828],
    [0, 0],
    [1, -0.98661],
    [3, -0.999999],
    [3.01, -1],
  ])('S(%d) = %d', (y, expected) => {
    expect(scaledSigmoid(y)).toBeCloseTo(expected, 5);
  });
});

describe('probation', () => {
  it.each([
    [20, 3],
    [4033, 604],
    [5000, 750],
    [15903, 750],
  ])('a %d-row file has %d probationary rows', (n, p) => {
    expect(probationLength(n)).toBe(p);
  });
});

describe('row weights and file scores (hand-computed)', () => {
  it('maps window timestamps to the rows inside them', () => {
    expect(windowIndices(timestamps, [[7.5 * minute, 11.2 * minute]])).toEqual([[8, 11]]);
  });

  it.each([
    { case: 'detection at the window start earns the full tp weight', rows: [8], expected: 1 },
    { case: 'detection halfway earns S(−0.5)/S(−1)', rows: [10], expected: s(-0.5) / s(-1) },
    { case: 'only the best detection in a window counts', rows: [10, 8, 9], expected: 1 },
    { case: 'a missed window costs fn', rows: [], expected: -1 },
    { case: 'an FP before the first window costs −fp', rows: [5], expected: -1 - 0.11 },
    { case: 'an FP after a window is scaled by S(distance / (width − 1))', rows: [13], expected: -1 + 0.11 * s(2 / 3) },
    { case: 'an FP right after the window costs little', rows: [12], expected: -1 + 0.11 * s(1 / 3) },
    { case: 'FPs are summed, not deduplicated', rows: [5, 6], expected: -1 - 0.22 },
    { case: 'detections in the probation period are ignored', rows: [0, 1, 2], expected: -1 },
    { case: 'TP and FPs together', rows: [2, 5, 10, 13], expected: -0.11 + s(-0.5) / s(-1) + 0.11 * s(2 / 3) },
  ])('$case', ({ rows, expected }) => {
    const file = fileFiring(rows);
    const r = scoreFile(file, rowWeights(file.timestamps, file.windows, standard), standard, 0.5);
    expect(r.score).toBeCloseTo(expected, 10);
  });

  it('uses the profile weights', () => {
    const w = rowWeights(timestamps, [window], lowFn);
    expect(w.weight[13]).toBeCloseTo(0.11 * s(2 / 3), 12);
    const file = fileFiring([]);
    expect(scoreFile(file, w, lowFn, 0.5).score).toBe(-2);
  });
});

describe('threshold optimisation and normalisation', () => {
  it('picks the single corpus-wide threshold that maximises the total', () => {
    // File A: a TP at 0.9 and FPs at 0.8; file B: a TP at 0.7 and one FP at 0.95.
    const a: ScoredFile = { ...fileFiring([8]), scores: timestamps.map((_, i) => (i === 8 ? 0.9 : i === 5 || i === 6 ? 0.8 : 0)) };
    const b: ScoredFile = { ...fileFiring([8]), scores: timestamps.map((_, i) => (i === 8 ? 0.7 : i === 4 ? 0.95 : 0)) };
    const rows = [a, b].map((f) => rowWeights(f.timestamps, f.windows, standard));
    // At 0.7: both TPs (2) minus three FPs (0.33) = 1.67 beats 0.9 (1 − 0.11 − 1 = −0.11) and 0.95 (−2.11).
    expect(optimiseThreshold([a, b], rows, standard)).toBe(0.7);
    const r = scoreCorpus([a, b], standard);
    expect(r.raw).toBeCloseTo(2 - 0.33, 10);
    expect(r.normalized).toBeCloseTo((100 * (1.67 + 2)) / 4, 8);
  });

  it('detects nothing when every threshold loses', () => {
    // Scores are high only outside the window and low inside it: every threshold only adds FPs.
    const f: ScoredFile = { ...fileFiring([]), scores: timestamps.map((_, i) => (i >= 8 && i <= 11 ? 0 : 1)) };
    const busy: ScoredFile = { name: 'g', timestamps: Array.from({ length: 100 }, (_, i) => i * minute), scores: new Array<number>(100).fill(1), windows: [] };
    const r = scoreCorpus([f, busy], standard);
    expect(r.threshold).toBe(Number.POSITIVE_INFINITY);
    expect(r.normalized).toBe(0);
  });
});

describe.skipIf(!hasNab)('on the NAB data', () => {
  const corpus = hasNab ? loadCorpus(nabDir) : [];
  const profiles = hasNab ? loadProfiles(nabDir) : {};
  const detector = (fire: (file: (typeof corpus)[number]) => Set<number>): ScoredFile[] =>
    corpus.map((c) => {
      const rows = fire(c);
      return { name: c.name, timestamps: c.timestamps, windows: c.windows, scores: c.timestamps.map((_, i) => (rows.has(i) ? 1 : 0)) };
    });

  it('has 43 files and 83 windows', () => {
    expect(corpus.length).toBe(43);
    expect(corpus.reduce((n, c) => n + c.windows.length, 0)).toBe(83);
  });

  it.each(['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'])('%s: null scores 0, first-row-of-each-window scores 100', (name) => {
    const profile = profiles[name] as CostProfile;
    expect(scoreCorpus(detector(() => new Set()), profile).normalized).toBe(0);
    const perfect = detector((c) => new Set(windowIndices(c.timestamps, c.windows).map(([l]) => l)));
    expect(scoreCorpus(perfect, profile).normalized).toBeCloseTo(100, 10);
  });
});
