import { describe, expect, it } from 'vitest';
import type { ArithmeticOp, ComparisonOp } from '../../../query/index.js';
import type { VectorElement } from '../../../query/engine/index.js';
import { operators } from '../../../query/engine/operators/index.js';
import { el, sorted, T } from './support.js';

const x = [el({ __name__: 'x', j: '1' }, 1, 0), el({ __name__: 'x', j: '2' }, 5, 0), el({ __name__: 'x', j: '3' }, NaN, 0)];

interface Case {
  name: string;
  op: ArithmeticOp | ComparisonOp;
  vector: VectorElement[];
  scalar: number;
  scalarOnLeft: boolean;
  returnBool?: boolean;
  want: VectorElement[];
}

const cases: Case[] = [
  {
    name: 'x * 2 drops the name and stamps t',
    op: '*',
    vector: x,
    scalar: 2,
    scalarOnLeft: false,
    want: [el({ j: '1' }, 2), el({ j: '2' }, 10), el({ j: '3' }, NaN)],
  },
  {
    name: '10 - x keeps the operands in written order',
    op: '-',
    vector: x.slice(0, 2),
    scalar: 10,
    scalarOnLeft: true,
    want: [el({ j: '1' }, 9), el({ j: '2' }, 5)],
  },
  {
    name: 'x > 2 filters and keeps the name and value',
    op: '>',
    vector: x,
    scalar: 2,
    scalarOnLeft: false,
    want: [el({ __name__: 'x', j: '2' }, 5)],
  },
  {
    // 2.42's VectorscalarBinop keeps the vector element's value even when the scalar is on the left
    // (operators.test files from before that fix expected the scalar, 1000, for `1000 < SUM(...)`).
    name: '2 < x keeps the vector value (the scalar is on the left)',
    op: '<',
    vector: x,
    scalar: 2,
    scalarOnLeft: true,
    want: [el({ __name__: 'x', j: '2' }, 5)],
  },
  {
    name: 'x >= bool 2 answers 0/1 for every element (NaN compares false) and drops the name',
    op: '>=',
    vector: x,
    scalar: 2,
    scalarOnLeft: false,
    returnBool: true,
    want: [el({ j: '1' }, 0), el({ j: '2' }, 1), el({ j: '3' }, 0)],
  },
  {
    name: 'x % -3 and -x % 3 take the sign of the dividend (Go math.Mod)',
    op: '%',
    vector: [el({ j: '1' }, 7), el({ j: '2' }, -7), el({ j: '3' }, 7.5), el({ j: '4' }, Infinity)],
    scalar: -3,
    scalarOnLeft: false,
    want: [el({ j: '1' }, 1), el({ j: '2' }, -1), el({ j: '3' }, 1.5), el({ j: '4' }, NaN)],
  },
  {
    name: 'x % 0 is NaN, x % Inf is x',
    op: '%',
    vector: [el({ j: '1' }, 7)],
    scalar: 0,
    scalarOnLeft: false,
    want: [el({ j: '1' }, NaN)],
  },
  {
    name: 'x ^ y follows Go math.Pow: 1 ^ NaN and (-1) ^ Inf are 1',
    op: '^',
    vector: [el({ j: '1' }, 1), el({ j: '2' }, -1), el({ j: '3' }, 2), el({ j: '4' }, -8)],
    scalar: Infinity,
    scalarOnLeft: false,
    want: [el({ j: '1' }, 1), el({ j: '2' }, 1), el({ j: '3' }, Infinity), el({ j: '4' }, Infinity)],
  },
  {
    name: 'atan2 keeps the name (2.42)',
    op: 'atan2',
    vector: [el({ __name__: 'y', j: '1' }, 0)],
    scalar: -1,
    scalarOnLeft: false,
    want: [el({ __name__: 'y', j: '1' }, Math.PI)],
  },
];

describe('operators.scalarVectorBinary', () => {
  it.each(cases)('$name', (c) => {
    expect(sorted(operators.scalarVectorBinary(c.op, c.vector, c.scalar, c.scalarOnLeft, c.returnBool ?? false, T))).toEqual(sorted(c.want));
  });

  it('refuses a result in which two series end up with the same labels', () => {
    // operators.test's "duplicate labelset in promql output", with a scalar instead of unary minus.
    const twoNames = [el({ __name__: 'testmetric1', src: 'a', dst: 'b' }, 0), el({ __name__: 'testmetric2', src: 'a', dst: 'b' }, 1)];
    expect(() => operators.scalarVectorBinary('*', twoNames, -1, false, false, T)).toThrow('vector cannot contain metrics with the same labelset');
    // A comparison without bool keeps the names, so the two stay apart.
    expect(operators.scalarVectorBinary('>=', twoNames, 0, false, false, T)).toHaveLength(2);
  });
});

describe('operators.scalarBinary', () => {
  it.each([
    ['+', 1, 2, 3],
    ['/', 1, 0, Infinity],
    ['/', -1, 0, -Infinity],
    ['/', 0, 0, NaN],
    ['%', -5, 3, -2],
    ['%', 5, Infinity, 5],
    ['^', 1, NaN, 1],
    ['^', NaN, 0, 1],
    ['^', 2, 10, 1024],
    ['atan2', 1, 0, Math.PI / 2],
    // operators.test: `0 == bool 1` → 0, `1 == bool 1` → 1.
    ['==', 0, 1, 0],
    ['==', 1, 1, 1],
    ['!=', NaN, NaN, 1],
    ['<=', NaN, 1, 0],
  ] as const)('%s %s %s = %s', (op, l, r, want) => {
    expect(operators.scalarBinary(op, l, r)).toEqual(want);
  });
});
