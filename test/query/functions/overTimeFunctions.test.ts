import { describe, expect, it } from 'vitest';
import { argExprsOf, callFunction, callOverWindow, onlyValue, scalar } from './callFunction.js';

// Expected values computed by hand (or, for the compensated sums, from what Neumaier summation
// gives where plain addition loses the 1: that difference is why 2.42 uses it).

const at10s = (values: number[]): [number, number][] => values.map((v, i) => [10 * i, v]);

describe('<aggregation>_over_time', () => {
  it.each<[string, number[], number]>([
    ['avg_over_time', [1, 2, 3, 4], 2.5],
    ['avg_over_time', [1, Infinity, 3], Infinity],
    ['avg_over_time', [Infinity, -Infinity], NaN],
    ['avg_over_time', [1e308, 1e308], 1e308], // an incremental mean does not overflow
    ['sum_over_time', [1e100, 1, -1e100], 1], // plain addition gives 0
    ['sum_over_time', [1, Infinity], Infinity],
    ['min_over_time', [NaN, 3, 1], 1],
    ['min_over_time', [NaN, NaN], NaN],
    ['max_over_time', [2, NaN, 5], 5],
    ['count_over_time', [1, NaN, 3], 3],
    ['last_over_time', [1, 2, 7], 7],
    ['present_over_time', [NaN], 1],
    // 2,4,4,4,5,5,7,9: mean 5, squared deviations sum 32, population variance 32/8 = 4.
    ['stdvar_over_time', [2, 4, 4, 4, 5, 5, 7, 9], 4],
    ['stddev_over_time', [2, 4, 4, 4, 5, 5, 7, 9], 2],
    ['stddev_over_time', [5], 0],
  ])('%s(%j) = %d', (fn, values, expected) => {
    expect(onlyValue(callOverWindow(fn, at10s(values), 0, 100))).toBe(expected);
  });

  it('last_over_time alone keeps __name__', () => {
    const labelsOf = (fn: string): unknown => {
      const r = callOverWindow(fn, at10s([1]), 0, 100);
      return r.kind === 'vector' ? r.elements[0]?.labels : undefined;
    };
    expect(labelsOf('last_over_time')).toEqual({ __name__: 'm', job: 'a' });
    expect(labelsOf('max_over_time')).toEqual({ job: 'a' });
  });

  it('series without points in the window give no output', () => {
    const r = callFunction('sum_over_time', [{ kind: 'matrix', series: [{ labels: { a: '1' }, points: [] }] }], { t: 0, rangeStartMs: 0, rangeEndMs: 0 });
    expect(r).toEqual({ kind: 'vector', elements: [] });
  });
});

describe('quantile_over_time', () => {
  it.each<[number, number]>([
    [0, 1],
    [0.5, 2.5], // rank 1.5: halfway between 2 and 3
    [0.9, 3.7], // rank 2.7: 3 × 0.3 + 4 × 0.7
    [1, 4],
    [-0.5, -Infinity],
    [1.5, Infinity],
    [NaN, NaN],
  ])('φ = %d over 4, 1, 3, 2 (unsorted) → %d', (phi, expected) => {
    const v = onlyValue(callOverWindow('quantile_over_time', at10s([4, 1, 3, 2]), 0, 100, [scalar(phi)]));
    if (Number.isNaN(expected)) expect(v).toBeNaN();
    else expect(v).toBeCloseTo(expected, 12);
  });
});

describe('absent_over_time', () => {
  const emptyMatrix = { kind: 'matrix' as const, series: [] };
  it('answers 1 with the equality labels of the selector when nothing is in the window', () => {
    const argExprs = argExprsOf('absent_over_time(nonexistent{job="api", instance=~"a.*", env="prod", env!="dev", zone=""}[5m])');
    const r = callFunction('absent_over_time', [emptyMatrix], { t: 60_000, argExprs });
    // env has a second matcher (its value is unknown), zone="" is a missing label, instance is a regex.
    expect(r).toEqual({ kind: 'vector', elements: [{ labels: { job: 'api' }, t: 60_000, v: 1 }] });
  });
  it('answers nothing when a series has a point', () => {
    const r = callOverWindow('absent_over_time', at10s([1]), 0, 100);
    expect(r).toEqual({ kind: 'vector', elements: [] });
  });
  it('has no labels for a subquery argument', () => {
    const r = callFunction('absent_over_time', [emptyMatrix], { t: 0, argExprs: argExprsOf('absent_over_time(rate(x{a="b"}[1m])[5m:1m])') });
    expect(r.kind === 'vector' && r.elements[0]?.labels).toEqual({});
  });
});
