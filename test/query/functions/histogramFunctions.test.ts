import { describe, expect, it } from 'vitest';
import type { Labels } from '../../../core/index.js';
import { callFunction, scalar, vector } from './callFunction.js';

// Expectations computed by hand from 2.42's bucketQuantile: rank = φ × total, then linear
// interpolation inside the first bucket whose cumulative count reaches the rank.

function quantileOf(phi: number, buckets: readonly [le: string, count: number][], extra: Labels = {}): unknown {
  const input = vector(...buckets.map(([le, count]): [Labels, number] => [{ __name__: 'req_bucket', ...extra, le }, count]));
  const r = callFunction('histogram_quantile', [scalar(phi), input], { t: 5000 });
  if (r.kind !== 'vector') throw new Error('expected a vector');
  return r.elements.length === 1 ? r.elements[0]?.v : r.elements;
}

const simple: [string, number][] = [['1', 10], ['2', 20], ['+Inf', 30]];

describe('histogram_quantile', () => {
  it.each<[string, number, [string, number][], number]>([
    ['interpolates in the bucket (rank 15 in (1,2]: 1 + 5/10)', 0.5, simple, 1.5],
    ['the lowest bucket starts at 0 (rank 6: 6/10 of (0,1])', 0.2, simple, 0.6],
    ['a rank in the +Inf bucket answers the highest finite bound', 0.9, simple, 2],
    ['φ < 0 is -Inf', -0.1, simple, -Infinity],
    ['φ > 1 is +Inf', 1.1, simple, Infinity],
    ['φ NaN is NaN', NaN, simple, NaN],
    ['no +Inf bucket is NaN', 0.5, [['1', 10], ['2', 20]], NaN],
    ['fewer than two buckets is NaN', 0.5, [['+Inf', 30]], NaN],
    ['no observations is NaN', 0.5, [['1', 0], ['+Inf', 0]], NaN],
    ['buckets in any order (sorted by le)', 0.5, [['+Inf', 30], ['2', 20], ['1', 10]], 1.5],
    // counts 10, 8, 20, 20 are made 10, 10, 20, 20: rank 15 falls in (2,4]: 2 + 2 × 5/10 = 3
    // (without the fix: 2 + 2 × 7/12).
    ['non-monotonic counts are raised', 0.75, [['1', 10], ['2', 8], ['4', 20], ['+Inf', 20]], 3],
    // a lowest bound ≤ 0 is itself the answer when the rank falls in it.
    ['negative lowest bucket', 0.2, [['-1', 5], ['0', 10], ['+Inf', 10]], -1],
    // "1" and "1.0" are one bound: 10 observations ≤ 1, rank 5 → 5/10.
    ['equal bounds are added together', 0.5, [['1', 5], ['1.0', 5], ['+Inf', 10]], 0.5],
    ['unparsable le values are skipped', 0.5, [['1', 10], ['abc', 99], ['2', 20], ['+Inf', 30]], 1.5],
  ])('%s', (_case, phi, buckets, expected) => {
    const v = quantileOf(phi, buckets);
    if (Number.isNaN(expected)) expect(v).toBeNaN();
    else expect(v).toBeCloseTo(expected, 12);
  });

  it('groups buckets by every other label and drops __name__ and le', () => {
    const input = vector(
      [{ __name__: 'b', job: 'x', le: '1' }, 10],
      [{ __name__: 'b', job: 'x', le: '+Inf' }, 10],
      [{ __name__: 'b', job: 'y', le: '1' }, 0],
      [{ __name__: 'b', job: 'y', le: '+Inf' }, 10],
      [{ __name__: 'b', job: 'y' }, 7], // no le: ignored
    );
    const r = callFunction('histogram_quantile', [scalar(0.5), input], { t: 5000 });
    expect(r).toEqual({
      kind: 'vector',
      elements: [
        { labels: { job: 'x' }, t: 5000, v: 0.5 },
        { labels: { job: 'y' }, t: 5000, v: 1 }, // rank 5 is in +Inf: the highest finite bound
      ],
    });
  });

  it.each(['histogram_count', 'histogram_sum'])('%s is empty over float series (native histograms only)', (fn) => {
    expect(callFunction(fn, [vector([{ le: '1' }, 3])], { t: 0 })).toEqual({ kind: 'vector', elements: [] });
  });
  it('histogram_fraction is empty over float series', () => {
    expect(callFunction('histogram_fraction', [scalar(0), scalar(1), vector([{}, 3])], { t: 0 })).toEqual({ kind: 'vector', elements: [] });
  });
});

// A bucket bound b that parses makes the median of [b: 10, +Inf: 10] b/2 (0 for b ≤ 0); one that
// does not is skipped, leaving the +Inf bucket alone: NaN.
describe('le values parse as Go\'s strconv.ParseFloat (checked against Go 1.26)', () => {
  it.each<[string, number]>([
    ['0.5', 0.25], ['.5', 0.25], ['5.', 2.5], ['1e3', 500], ['1e-400', 0], ['0x1p-2', 0.125], ['1_0', 5],
    ['-nan', NaN], ['1e400', NaN], [' 1', NaN], ['', NaN], ['1__0', NaN], ['_1', NaN], ['abc', NaN],
  ])('le=%j', (le, expected) => {
    const v = quantileOf(0.5, [[le, 10], ['+Inf', 10]]);
    if (Number.isNaN(expected)) expect(v).toBeNaN();
    else expect(v).toBe(expected);
  });
});
