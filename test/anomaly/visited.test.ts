import { describe, expect, it } from 'vitest';
import { VisitedRange } from '../../alerting/index.js';

describe('VisitedRange: holes in the range a series has visited', () => {
  it('a value far from every value seen is a gap; one near a seen value is not', () => {
    const v = new VisitedRange(100);
    for (const x of [0, 1, 2, 3, 10]) v.learn(x);
    expect(v.isGap(6.5, 0.1)).toBe(true); // 3.5 from 3 and from 10: more than 10 % of the range
    expect(v.isGap(3.5, 0.1)).toBe(false); // within 10 % of 3
    expect(v.isGap(2.2, 0.1)).toBe(false);
  });

  it('values beyond the range are not gaps (the range check scores those)', () => {
    const v = new VisitedRange(100);
    for (const x of [0, 10]) v.learn(x);
    expect(v.isGap(20, 0.05)).toBe(false);
    expect(v.isGap(-5, 0.05)).toBe(false);
  });

  it('nothing is a gap before the series has varied', () => {
    const v = new VisitedRange(100);
    v.learn(5);
    v.learn(5);
    expect(v.isGap(5, 0.05)).toBe(false);
  });

  it('keeps what it saw when a new extreme widens the range', () => {
    const v = new VisitedRange(64);
    for (let x = 0; x <= 10; x += 0.5) v.learn(x);
    v.learn(100);
    expect(v.isGap(5, 0.04)).toBe(false); // visited before the range grew tenfold
    expect(v.isGap(50, 0.04)).toBe(true);
  });

  it('round-trips through its state', () => {
    const v = new VisitedRange(32);
    for (const x of [3, 7, 1, 30, 12]) v.learn(x);
    const s = v.toState();
    const w = VisitedRange.fromState(32, s.lo, s.hi, s.seen);
    expect(w.toState()).toEqual(s);
    for (const x of [2, 5, 20, 25, 29]) expect(w.isGap(x, 0.05)).toBe(v.isGap(x, 0.05));
  });
});
