import { describe, expect, it } from 'vitest';
import { formatFloatF, goQuote, labelsString } from '../../../query/engine/operators/index.js';
import { formatGoFloat } from '../../../query/index.js';

describe("Go's float and string forms", () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [123456789.125, '123456789.125'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])("strconv.FormatFloat(%s, 'f', -1) = %s", (v, want) => {
    expect(formatFloatF(v)).toBe(want);
  });

  it.each([
    [1e19, '1e+19'],
    [-9.3e18, '-9.3e+18'],
    [1e6, '1e+06'],
    [123456, '123456'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [NaN, 'NaN'],
  ])('%%v of %s = %s', (v, want) => {
    expect(formatGoFloat(v)).toBe(want);
  });

  it('quotes like strconv.Quote and prints label sets like labels.Labels.String()', () => {
    expect(goQuote('a"b\\c\n\t\u0001\u007fé')).toBe('"a\\"b\\\\c\\n\\t\\x01\\x7fé"');
    expect(labelsString({ b: '2', __name__: 'm', a: 'x"y' })).toBe('{__name__="m", a="x\\"y", b="2"}');
    expect(labelsString({})).toBe('{}');
  });
});
