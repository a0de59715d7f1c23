import { describe, expect, it } from 'vitest';
import type { SetOp, VectorMatching } from '../../../query/index.js';
import type { VectorElement } from '../../../query/engine/index.js';
import { operators } from '../../../query/engine/operators/index.js';
import { el, manyToMany, matching, sorted, T } from './support.js';

const canary = [el({ __name__: 'http', group: 'canary', instance: '0' }, 300), el({ __name__: 'http', group: 'canary', instance: '1' }, 400)];
const production = [el({ __name__: 'http', group: 'production', instance: '0' }, 100), el({ __name__: 'http', group: 'production', instance: '1' }, 200)];
const plusOne = canary.map((e) => el({ group: e.labels['group']!, instance: e.labels['instance']! }, e.v + 1));
const other = el({ __name__: 'other', l: 'x' }, 10);

interface Case {
  name: string;
  op: SetOp;
  lhs: VectorElement[];
  rhs: VectorElement[];
  matching: VectorMatching;
  want: VectorElement[];
}

// Modelled on Prometheus' promql/testdata/operators.test set-operator cases.
const cases: Case[] = [
  { name: 'and on all labels', op: 'and', lhs: canary, rhs: [canary[0]!], matching: manyToMany, want: [canary[0]!] },
  { name: 'and ignores the name', op: 'and', lhs: plusOne, rhs: canary, matching: manyToMany, want: plusOne },
  { name: 'and on(instance)', op: 'and', lhs: canary, rhs: [production[1]!], matching: matching('many-to-many', true, ['instance']), want: [canary[1]!] },
  { name: 'and on(dummy) matches everything with anything', op: 'and', lhs: canary, rhs: [el({}, 1)], matching: matching('many-to-many', true, ['dummy']), want: canary },
  { name: 'and with an empty side is empty', op: 'and', lhs: canary, rhs: [], matching: manyToMany, want: [] },
  { name: 'or keeps both when nothing overlaps', op: 'or', lhs: canary, rhs: production, matching: manyToMany, want: [...canary, ...production] },
  {
    name: 'or drops right elements whose signature the left has (operators.test "On overlap the rhs samples must be dropped")',
    op: 'or',
    lhs: plusOne,
    rhs: [...canary, production[0]!],
    matching: manyToMany,
    want: [...plusOne, production[0]!],
  },
  {
    name: 'or on(instance) adds right elements without the label',
    op: 'or',
    lhs: plusOne,
    rhs: [...production, other],
    matching: matching('many-to-many', true, ['instance']),
    want: [...plusOne, other],
  },
  { name: 'or with an empty left is the right', op: 'or', lhs: [], rhs: production, matching: manyToMany, want: production },
  { name: 'unless', op: 'unless', lhs: canary, rhs: [canary[0]!], matching: manyToMany, want: [canary[1]!] },
  { name: 'unless on(group) removes all', op: 'unless', lhs: canary, rhs: [canary[0]!], matching: matching('many-to-many', true, ['group']), want: [] },
  { name: 'unless ignoring(group)', op: 'unless', lhs: canary, rhs: [production[0]!], matching: matching('many-to-many', false, ['group']), want: [canary[1]!] },
  { name: 'unless with an empty right is the left', op: 'unless', lhs: canary, rhs: [], matching: manyToMany, want: canary },
];

describe('operators.vectorBinary (set operators)', () => {
  it.each(cases)('$name', (c) => {
    expect(sorted(operators.vectorBinary(c.op, c.lhs, c.rhs, c.matching, false, T))).toEqual(sorted(c.want));
  });

  it('keeps `or` in order: left elements, then the right ones', () => {
    expect(operators.vectorBinary('or', [production[1]!], [canary[0]!], manyToMany, false, T)).toEqual([production[1], canary[0]]);
  });
});
