import { describe, expect, it } from 'vitest';
import { VigilError } from '../../../core/index.js';
import type { BinaryOp, VectorMatching } from '../../../query/index.js';
import type { VectorElement } from '../../../query/engine/index.js';
import { operators } from '../../../query/engine/operators/index.js';
import { el, matching, oneToOne, sorted, T } from './support.js';

// From Prometheus' promql/testdata/operators.test (group_left/group_right section).
const nodeVar = el({ __name__: 'node_var', instance: 'abc', job: 'node' }, 2);
const nodeRole = el({ __name__: 'node_role', instance: 'abc', job: 'node', role: 'prometheus' }, 1);
const nodeCpu = [
  el({ __name__: 'node_cpu', instance: 'abc', job: 'node', mode: 'idle' }, 3),
  el({ __name__: 'node_cpu', instance: 'abc', job: 'node', mode: 'user' }, 1),
  el({ __name__: 'node_cpu', instance: 'def', job: 'node', mode: 'idle' }, 8),
  el({ __name__: 'node_cpu', instance: 'def', job: 'node', mode: 'user' }, 2),
];
const threshold = el({ __name__: 'threshold', instance: 'abc', job: 'node', target: 'a@b.com' }, 0);

interface Case {
  name: string;
  op: BinaryOp;
  lhs: VectorElement[];
  rhs: VectorElement[];
  matching: VectorMatching;
  returnBool?: boolean;
  want: VectorElement[];
}

const cases: Case[] = [
  {
    name: 'arithmetic matches on all labels but the name, and drops the name',
    op: '+',
    lhs: [el({ __name__: 'a', j: '1' }, 1), el({ __name__: 'a', j: '2' }, 2), el({ __name__: 'a', j: '3' }, 3)],
    rhs: [el({ __name__: 'b', j: '1' }, 10), el({ __name__: 'b', j: '2' }, 20)],
    matching: oneToOne,
    want: [el({ j: '1' }, 11), el({ j: '2' }, 22)],
  },
  {
    name: '`ignoring` with __name__ present on both sides still matches (the name is always ignored)',
    op: '-',
    lhs: [el({ __name__: 'a', j: '1', k: 'x' }, 5)],
    rhs: [el({ __name__: 'b', j: '1', k: 'y' }, 2)],
    matching: matching('one-to-one', false, ['k']),
    want: [el({ j: '1' }, 3)],
  },
  {
    // operators.test: "On with no labels, for metrics with no common labels."
    name: '`on()` with an empty list matches everything with everything and keeps no label',
    op: '+',
    lhs: [el({ __name__: 'random', foo: 'bar' }, 2)],
    rhs: [el({ __name__: 'metricA', baz: 'meh' }, 3)],
    matching: matching('one-to-one', true, []),
    want: [el({}, 5)],
  },
  {
    // operators.test, issue #5326: one-to-one `on` keeps only the `on` labels, even for a comparison.
    name: 'a one-to-one comparison with `on` keeps only the `on` labels',
    op: '==',
    lhs: [el({ __name__: 'metricA', instance: 'abc', job: 'node' }, 2)],
    rhs: [el({ __name__: 'metricA', instance: 'abc', job: 'node' }, 2)],
    matching: matching('one-to-one', true, ['instance']),
    want: [el({ instance: 'abc' }, 2)],
  },
  {
    name: '`on(__name__)` matches on the name',
    op: '*',
    lhs: [el({ __name__: 'a', j: '1' }, 2), el({ __name__: 'b', j: '1' }, 3)],
    rhs: [el({ __name__: 'a', j: '2' }, 10)],
    matching: matching('one-to-one', true, ['__name__']),
    want: [el({}, 20)],
  },
  {
    name: 'a comparison filters and keeps the left value and name',
    op: '>',
    lhs: [el({ __name__: 'a', j: '1' }, 1), el({ __name__: 'a', j: '2' }, 5)],
    rhs: [el({ __name__: 'b', j: '1' }, 3), el({ __name__: 'b', j: '2' }, 3)],
    matching: oneToOne,
    want: [el({ __name__: 'a', j: '2' }, 5)],
  },
  {
    name: 'a comparison with bool answers 0/1 and drops the name',
    op: '>',
    lhs: [el({ __name__: 'a', j: '1' }, 1), el({ __name__: 'a', j: '2' }, 5), el({ __name__: 'a', j: '3' }, NaN)],
    rhs: [el({ __name__: 'b', j: '1' }, 3), el({ __name__: 'b', j: '2' }, 3), el({ __name__: 'b', j: '3' }, NaN)],
    matching: oneToOne,
    returnBool: true,
    want: [el({ j: '1' }, 0), el({ j: '2' }, 1), el({ j: '3' }, 0)],
  },
  {
    name: 'NaN is unequal to itself: `!=` keeps it, `==` drops it',
    op: '!=',
    lhs: [el({ j: '1' }, NaN), el({ j: '2' }, 1)],
    rhs: [el({ j: '1' }, NaN), el({ j: '2' }, 1)],
    matching: oneToOne,
    want: [el({ j: '1' }, NaN)],
  },
  {
    name: 'division by zero and modulo follow Go (±Inf, NaN, the sign of the dividend)',
    op: '/',
    lhs: [el({ j: '1' }, 1), el({ j: '2' }, -1), el({ j: '3' }, 0)],
    rhs: [el({ j: '1' }, 0), el({ j: '2' }, 0), el({ j: '3' }, 0)],
    matching: oneToOne,
    want: [el({ j: '1' }, Infinity), el({ j: '2' }, -Infinity), el({ j: '3' }, NaN)],
  },
  {
    name: 'atan2 keeps the metric name (Prometheus 2.42 drops it only for + - * / % ^)',
    op: 'atan2',
    lhs: [el({ __name__: 'y', j: '1' }, 1)],
    rhs: [el({ __name__: 'x', j: '1' }, 1)],
    matching: oneToOne,
    want: [el({ __name__: 'y', j: '1' }, Math.PI / 4)],
  },
  {
    // operators.test: "Copy machine role to node variable."
    name: 'group_left copies the include labels from the one side',
    op: '*',
    lhs: [nodeVar],
    rhs: [nodeRole],
    matching: matching('many-to-one', true, ['instance'], ['role']),
    want: [el({ instance: 'abc', job: 'node', role: 'prometheus' }, 2)],
  },
  {
    // operators.test
    name: 'group_right swaps the sides: labels from the right, include labels from the left',
    op: '*',
    lhs: [nodeRole],
    rhs: [nodeVar],
    matching: matching('one-to-many', true, ['instance'], ['role']),
    want: [el({ instance: 'abc', job: 'node', role: 'prometheus' }, 2)],
  },
  {
    // operators.test: "Copy machine role to node variable with instrumentation labels."
    name: 'group_left with ignoring keeps the many side\'s labels',
    op: '*',
    lhs: nodeCpu,
    rhs: [nodeRole],
    matching: matching('many-to-one', false, ['role', 'mode'], ['role']),
    want: [
      el({ instance: 'abc', job: 'node', mode: 'idle', role: 'prometheus' }, 3),
      el({ instance: 'abc', job: 'node', mode: 'user', role: 'prometheus' }, 1),
    ],
  },
  {
    // operators.test: "Use threshold from metric, and copy over target."
    name: 'a group_left comparison keeps the left name and copies the include label',
    op: '>',
    lhs: nodeCpu,
    rhs: [threshold],
    matching: matching('many-to-one', true, ['job', 'instance'], ['target']),
    want: [
      el({ __name__: 'node_cpu', instance: 'abc', job: 'node', mode: 'idle', target: 'a@b.com' }, 3),
      el({ __name__: 'node_cpu', instance: 'abc', job: 'node', mode: 'user', target: 'a@b.com' }, 1),
    ],
  },
  {
    name: 'an include label the one side lacks is removed from the result',
    op: '+',
    lhs: [el({ a: '1', dummy: 'x' }, 1)],
    rhs: [el({ a: '1' }, 1)],
    matching: matching('many-to-one', true, ['a'], ['dummy']),
    want: [el({ a: '1' }, 2)],
  },
  {
    name: 'a group_right comparison keeps the value of the left operand (the one side)',
    op: '<',
    lhs: [el({ __name__: 'limit', a: '1' }, 10)],
    rhs: [el({ __name__: 'use', a: '1', b: 'x' }, 20), el({ __name__: 'use', a: '1', b: 'y' }, 5)],
    matching: matching('one-to-many', true, ['a']),
    want: [el({ __name__: 'use', a: '1', b: 'x' }, 10)],
  },
  {
    name: 'an empty side gives an empty result, even with duplicates on the other',
    op: '+',
    lhs: [],
    rhs: [el({ a: '1' }, 1), el({ a: '1', b: '2' }, 1)],
    matching: matching('one-to-one', true, ['a']),
    want: [],
  },
  {
    name: 'set operators pass the left element untouched (name and value), stamped with t',
    op: 'and',
    lhs: [el({ __name__: 'a', j: '1' }, 1, 0), el({ __name__: 'a', j: '2' }, 2, 0)],
    rhs: [el({ __name__: 'b', j: '1' }, 9)],
    matching: matching('many-to-many', false),
    want: [el({ __name__: 'a', j: '1' }, 1)],
  },
];

describe('operators.vectorBinary (arithmetic and comparisons)', () => {
  it.each(cases)('$name', (c) => {
    expect(sorted(operators.vectorBinary(c.op, c.lhs, c.rhs, c.matching, c.returnBool ?? false, T))).toEqual(sorted(c.want));
  });
});

interface FailCase {
  name: string;
  op: BinaryOp;
  lhs: VectorElement[];
  rhs: VectorElement[];
  matching: VectorMatching;
  returnBool?: boolean;
  error: string;
}

const failures: FailCase[] = [
  {
    name: 'duplicates on the right of one-to-one',
    op: '+',
    lhs: [el({ __name__: 'a', j: '1' }, 1)],
    rhs: [el({ __name__: 'b', j: '1', k: 'x' }, 1), el({ __name__: 'b', j: '1', k: 'y' }, 1)],
    matching: matching('one-to-one', true, ['j']),
    error:
      'found duplicate series for the match group {j="1"} on the right hand-side of the operation: ' +
      '[{__name__="b", j="1", k="y"}, {__name__="b", j="1", k="x"}];many-to-many matching not allowed: matching labels must be unique on one side',
  },
  {
    name: 'duplicates on the left of group_right (the one side), named with ignoring\'s labels',
    op: '*',
    lhs: [el({ __name__: 'a', j: '1', k: 'x' }, 1), el({ __name__: 'a', j: '1', k: 'y' }, 1)],
    rhs: [el({ __name__: 'b', j: '1' }, 1)],
    matching: matching('one-to-many', false, ['k']),
    error:
      'found duplicate series for the match group {j="1"} on the left hand-side of the operation: ' +
      '[{__name__="a", j="1", k="y"}, {__name__="a", j="1", k="x"}];many-to-many matching not allowed: matching labels must be unique on one side',
  },
  {
    name: 'a duplicate on the one side errs even when nothing on the other side matches it',
    op: '+',
    lhs: [el({ j: '2' }, 1)],
    rhs: [el({ j: '1', k: 'x' }, 1), el({ j: '1', k: 'y' }, 1)],
    matching: matching('one-to-one', true, ['j']),
    error: 'found duplicate series for the match group {j="1"} on the right hand-side of the operation: [{j="1", k="y"}, {j="1", k="x"}];many-to-many matching not allowed: matching labels must be unique on one side',
  },
  {
    name: 'many on the left without group_left',
    op: '+',
    lhs: [el({ j: '1', k: 'x' }, 1), el({ j: '1', k: 'y' }, 1)],
    rhs: [el({ j: '1' }, 1)],
    matching: matching('one-to-one', true, ['j']),
    error: 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
  },
  {
    name: 'many on the left without group_left, compared with bool',
    op: '==',
    lhs: [el({ j: '1', k: 'x' }, 1), el({ j: '1', k: 'y' }, 2)],
    rhs: [el({ j: '1' }, 1)],
    matching: matching('one-to-one', true, ['j']),
    returnBool: true,
    error: 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
  },
  {
    name: 'group_left whose result labels repeat within a match group',
    op: '+',
    lhs: [el({ __name__: 'a', j: '1' }, 1), el({ __name__: 'b', j: '1' }, 1)],
    rhs: [el({ j: '1' }, 1)],
    matching: matching('many-to-one', true, ['j']),
    error: 'multiple matches for labels: grouping labels must ensure unique results',
  },
];

describe('operators.vectorBinary errors (Prometheus\' exact messages)', () => {
  it.each(failures)('$name', (c) => {
    const run = () => operators.vectorBinary(c.op, c.lhs, c.rhs, c.matching, c.returnBool ?? false, T);
    expect(run).toThrow(VigilError);
    expect(run).toThrow(c.error);
    try {
      run();
    } catch (err) {
      expect((err as VigilError).code).toBe('execution');
      expect((err as VigilError).message).toBe(c.error);
    }
  });

  it('a filtering comparison raises no many-to-one error for elements it filtered out', () => {
    const lhs = [el({ j: '1', k: 'x' }, 1), el({ j: '1', k: 'y' }, 2)];
    const got = operators.vectorBinary('==', lhs, [el({ j: '1' }, 1)], matching('one-to-one', true, ['j']), false, T);
    expect(got).toEqual([el({ j: '1' }, 1)]);
  });
});
