import { describe, expect, it } from 'vitest';
import { RecordCalibrator } from '../../alerting/anomaly/index.js';

const cfg = { decay: 0.9, warmup: 0, mask: 0, escape: 2, margin: 1 };

describe('RecordCalibrator', () => {
  it('scores 0.5 at a tie with the decayed record', () => {
    const c = new RecordCalibrator(cfg);
    c.score(10); // record 10
    c.score(0); // scored against 10; then the record decays to 10 × 0.9 = 9
    expect(c.score(9)).toBeCloseTo(0.5, 12);
    expect(c.score(0)).toBe(0);
  });

  it('does not decay the record during the hold (learning) period, then decays it', () => {
    const held = new RecordCalibrator({ ...cfg, hold: 3 });
    held.score(10); // t = 0
    held.score(0); // t = 1: still 10
    held.score(0); // t = 2: still 10
    expect(held.score(10)).toBeCloseTo(0.5, 12); // t = 3: a tie with the undecayed 10
    held.score(0); // t = 4: past the hold, the record decays: 10 × 0.9
    expect(held.score(9)).toBeCloseTo(0.5, 12);
  });
});
