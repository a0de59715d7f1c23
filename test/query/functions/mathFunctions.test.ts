import { describe, expect, it } from 'vitest';
import { callFunction, onlyValue, scalar, vector } from './callFunction.js';

const one = (fn: string, v: number, ...extra: number[]): number | undefined =>
  onlyValue(callFunction(fn, [vector([{ __name__: 'm' }, v]), ...extra.map(scalar)], { t: 0 }));

describe('math functions', () => {
  it.each<[string, number, number[], number]>([
    ['abs', -3, [], 3],
    ['ceil', 1.2, [], 2],
    ['floor', -1.2, [], -2],
    ['exp', 0, [], 1],
    ['ln', -1, [], NaN],
    ['sqrt', -1, [], NaN],
    ['sgn', -4, [], -1],
    ['sgn', 0, [], 0],
    ['sgn', NaN, [], NaN],
    ['deg', Math.PI, [], 180],
    ['rad', 180, [], Math.PI],
    // Go's Log2/Log10 (values printed by Go 1.26's math package).
    ['log2', 8, [], 3],
    ['log2', 1e-310, [], -1029.7977094150824],
    ['log10', 1000, [], 3],
    ['log10', 2, [], 0.3010299956639812],
    ['log10', 8, [], 0.9030899869919435],
    ['log10', 0.001, [], -3],
    ['log10', 3, [], 0.4771212547196624], // Math.log10 gives 0.47712125471966244
    ['log10', 0, [], -Infinity],
    // round: ties go up, to_nearest multiplies by its inverse.
    ['round', 2.5, [], 3],
    ['round', -2.5, [], -2],
    ['round', 0.27, [0.1], 0.3], // not 0.30000000000000004
    ['round', 17, [5], 15],
    ['round', 18, [5], 20],
    ['round', 1.005, [0.01], 1], // 1.005 × 100 is 100.49999999999999 in binary (Go gives 1 too)
    ['clamp', -5, [0, 10], 0],
    ['clamp', 15, [0, 10], 10],
    ['clamp', NaN, [0, 10], NaN],
    ['clamp_min', 1, [3], 3],
    ['clamp_max', 5, [3], 3],
  ])('%s(%d, %j) = %d', (fn, v, extra, expected) => {
    expect(one(fn, v, ...extra)).toBe(expected);
  });

  it('clamp with min > max is empty', () => {
    expect(callFunction('clamp', [vector([{}, 1]), scalar(5), scalar(1)], { t: 0 })).toEqual({ kind: 'vector', elements: [] });
  });

  it('drops __name__ and stamps the evaluation time', () => {
    expect(callFunction('abs', [vector([{ __name__: 'm', a: 'b' }, -1])], { t: 7000 })).toEqual({
      kind: 'vector',
      elements: [{ labels: { a: 'b' }, t: 7000, v: 1 }],
    });
  });

  it('pi is a scalar', () => {
    expect(callFunction('pi', [], { t: 0 })).toEqual({ kind: 'scalar', v: Math.PI });
  });
});
