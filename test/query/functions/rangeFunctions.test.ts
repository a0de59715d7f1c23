import { describe, expect, it } from 'vitest';
import { callOverWindow, onlyValue, scalar } from './callFunction.js';

// Every expectation below is computed by hand from 2.42's extrapolatedRate / instantValue /
// linearRegression / holt_winters definitions; the arithmetic is written next to each case.
// Points are [seconds, value]; the window is the closed [start, end] and the evaluation time is end.

type Pts = [number, number][];
const every10s = (values: number[], from = 5): Pts => values.map((v, i) => [from + 10 * i, v]);

describe('rate, increase, delta (extrapolatedRate)', () => {
  it.each<[string, string, Pts, number, number, number | undefined]>([
    // result 50, gaps 5s and 5s < 1.1 × 10s: extrapolated to the full 60s → 50 × 60/50.
    ['both gaps short: to the window edges', 'increase', every10s([10, 20, 30, 40, 50, 60]), 0, 60, 60],
    ['rate divides by the range', 'rate', every10s([10, 20, 30, 40, 50, 60]), 0, 60, 1],
    // counter zero: 50s × 1/50 = 1s before the first point < 5s gap → start gap 1s: 50 × (50+1+5)/50.
    ['counter not extrapolated below zero', 'increase', every10s([1, 11, 21, 31, 41, 51]), 0, 60, 56],
    ['delta is not clamped at zero', 'delta', every10s([1, 11, 21, 31, 41, 51]), 0, 60, 60],
    // 2.42 order: zero point 30 × 5/15 = 10s replaces the 30s gap, then 10 < 11 extrapolates all of it:
    // 15 × (30+10+0)/30 = 20. (Prometheus ≥ 2.51 halves the gap first and answers 17.5.)
    ['zero clamp before the 1.1× rule (2.42)', 'increase', [[30, 5], [40, 10], [50, 15], [60, 20]], 0, 60, 20],
    // end gap 40s ≥ 11s: only half an interval (5s) is added: 20 × (20+0+5)/20.
    ['long end gap: half an interval', 'increase', [[0, 0], [10, 10], [20, 20]], 0, 60, 25],
    ['rate with a long end gap', 'rate', [[0, 0], [10, 10], [20, 20]], 0, 60, 25 / 60],
    // reset 30 → 5 adds 30: 15 + 30 = 45; zero point 50 × 10/45 = 11.1s > 5s gap; × 60/50.
    ['counter reset adds the value before it', 'increase', every10s([10, 20, 30, 5, 15, 25]), 0, 60, 54],
    ['delta of a falling gauge', 'delta', every10s([60, 50, 40, 30, 20, 10]), 0, 60, -60],
    // points exactly on both window edges count (closed window): 10 over 300s, no extrapolation.
    ['points on both edges of the window', 'rate', [[2700, 90], [3000, 100]], 2700, 3000, 10 / 300],
    ['one point: no output', 'rate', [[30, 5]], 0, 60, undefined],
  ])('%s: %s', (_case, fn, points, start, end, expected) => {
    const v = onlyValue(callOverWindow(fn, points, start, end));
    if (expected === undefined) expect(v).toBeUndefined();
    else expect(v).toBeCloseTo(expected, 12);
  });

  it('drops __name__', () => {
    const r = callOverWindow('rate', every10s([1, 2]), 0, 20);
    expect(r.kind === 'vector' && r.elements[0]?.labels).toEqual({ job: 'a' });
  });
});

describe('irate and idelta: the last two points', () => {
  it.each<[string, Pts, number | undefined]>([
    ['irate', [[0, 1], [5, 3], [20, 6]], 3 / 15],
    // 20 → 5 is a reset: the increase is 5, over 10s.
    ['irate', [[0, 10], [10, 20], [20, 5]], 0.5],
    ['idelta', [[0, 10], [10, 20], [20, 5]], -15],
    ['irate', [[20, 5]], undefined],
    ['idelta', [[20, 5]], undefined],
  ])('%s(%j)', (fn, points, expected) => {
    expect(onlyValue(callOverWindow(fn, points, 0, 60))).toBe(expected);
  });
});

describe('deriv and predict_linear: least squares', () => {
  // (0,0) (10,1) (20,4): mean x 10, mean y 5/3, Σ(x-x̄)(y-ȳ) = 40, Σ(x-x̄)² = 200 → slope 0.2 per second.
  const points: Pts = [[0, 0], [10, 1], [20, 4]];
  it('deriv is the slope per second', () => {
    expect(onlyValue(callOverWindow('deriv', points, 0, 20))).toBeCloseTo(0.2, 12);
  });
  it('predict_linear anchors the line at the evaluation time', () => {
    // relative to t = 20s: intercept 5/3 + 0.2 × 10 = 11/3, plus 0.2 × 10s → 17/3.
    expect(onlyValue(callOverWindow('predict_linear', points, 0, 20, [scalar(10)]))).toBeCloseTo(17 / 3, 12);
    // evaluated at 30s (window end), the intercept moves by 0.2 × 10 too.
    expect(onlyValue(callOverWindow('predict_linear', points, 0, 30, [scalar(0)]))).toBeCloseTo(17 / 3, 12);
  });
  it.each<[string, Pts, number | undefined]>([
    ['constant series: slope exactly 0', [[0, 3], [10, 3]], 0],
    ['constant infinite series: NaN', [[0, Infinity], [10, Infinity]], NaN],
    ['one point: no output', [[0, 3]], undefined],
  ])('deriv, %s', (_case, pts, expected) => {
    expect(onlyValue(callOverWindow('deriv', pts, 0, 20))).toBe(expected);
  });
});

describe('holt_winters', () => {
  it('smooths with sf and tf', () => {
    // s=1, b=1; i=1: b stays 1, s = 0.5×2 + 0.5×(1+1) = 2; i=2: b = 0.5×(2-1) + 0.5×1 = 1, s = 0.5×4 + 0.5×(2+1) = 3.5.
    expect(onlyValue(callOverWindow('holt_winters', [[0, 1], [10, 2], [20, 4]], 0, 20, [scalar(0.5), scalar(0.5)]))).toBe(3.5);
    // sf 0.1, tf 0.9 on 10, 20, 20 (s=10, b=10): i=1: s = 0.1×20 + 0.9×(10+10) = 20;
    // i=2: b = 0.9×(20-10) + 0.1×10 = 10, s = 0.1×20 + 0.9×(20+10) = 29.
    expect(onlyValue(callOverWindow('holt_winters', [[0, 10], [10, 20], [20, 20]], 0, 20, [scalar(0.1), scalar(0.9)]))).toBeCloseTo(29, 12);
  });
  it.each<[number, number, string]>([
    [1, 0.5, 'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000'],
    [0, 0.5, 'invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000'],
    [0.5, 1.5, 'invalid trend factor. Expected: 0 < tf < 1, got: 1.500000'],
  ])('sf %d, tf %d fails with Prometheus\' message', (sf, tf, message) => {
    expect(() => callOverWindow('holt_winters', [[0, 1]], 0, 20, [scalar(sf), scalar(tf)])).toThrow(message);
  });
});

describe('changes and resets', () => {
  it.each<[string, number[], number]>([
    // 1→2, 2→NaN, NaN→3 change; NaN→NaN does not.
    ['changes', [1, 1, 2, NaN, NaN, 3], 3],
    ['changes', [7], 0],
    ['resets', [5, 3, 4, 1, 1], 2],
    ['resets', [1, 2, 3], 0],
  ])('%s(%j)', (fn, values, expected) => {
    expect(onlyValue(callOverWindow(fn, every10s(values), 0, 100))).toBe(expected);
  });
});
