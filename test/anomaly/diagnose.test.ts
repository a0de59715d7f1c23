import { describe, expect, it } from 'vitest';
import type { CostProfile, ScoredFile } from '../../alerting/anomaly/index.js';
import { diagnose } from '../../alerting/anomaly/index.js';

const standard: CostProfile = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const minute = 60_000;
const timestamps = Array.from({ length: 20 }, (_, i) => i * minute);

/** 20 rows, one window over rows 8..11 (width 4), probation 3 rows; the score fires on `rows`. */
function file(name: string, rows: number[]): ScoredFile {
  return { name, timestamps, scores: timestamps.map((_, i) => (rows.includes(i) ? 1 : 0)), windows: [[8 * minute, 11 * minute]] };
}

describe('NAB diagnosis (bench --diagnose)', () => {
  it('names each window’s first detection, each miss and each false-positive row, and totals them', () => {
    const lines = diagnose([file('hit', [5, 9, 10]), file('miss', [15])], standard);
    expect(lines[0]).toContain('windows [1/4]');
    expect(lines[0]).toContain('FP rows 1 (5)');
    expect(lines[1]).toContain('windows [MISS/4 (max 0.000)]');
    expect(lines[1]).toContain('FP rows 1 (15)');
    expect(lines[2]).toMatch(/^threshold 1\.0000: 1\/2 windows detected .* 1 missed \(−1\.00\), 2 FP rows/);
  });
});
