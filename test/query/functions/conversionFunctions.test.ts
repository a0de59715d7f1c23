import { describe, expect, it } from 'vitest';
import { argExprsOf, callFunction, scalar, vector } from './callFunction.js';

describe('vector and scalar', () => {
  it('vector(s) is one element without labels', () => {
    expect(callFunction('vector', [scalar(3)], { t: 1000 })).toEqual({ kind: 'vector', elements: [{ labels: {}, t: 1000, v: 3 }] });
  });
  it.each<[string, ReturnType<typeof vector>, number]>([
    ['one element: its value', vector([{ a: '1' }, 4]), 4],
    ['no element: NaN', vector(), NaN],
    ['two elements: NaN', vector([{ a: '1' }, 4], [{ a: '2' }, 5]), NaN],
  ])('scalar(), %s', (_case, v, expected) => {
    expect(callFunction('scalar', [v], { t: 0 })).toEqual({ kind: 'scalar', v: expected });
  });
});

describe('sort and sort_desc', () => {
  const input = vector([{ __name__: 'm', i: 'a' }, 3], [{ i: 'b' }, NaN], [{ i: 'c' }, -1], [{ i: 'd' }, 10]);
  it.each<[string, string[]]>([
    ['sort', ['c', 'a', 'd', 'b']],
    ['sort_desc', ['d', 'a', 'c', 'b']], // NaN last either way
  ])('%s orders by value, NaN last, keeping __name__', (fn, order) => {
    const r = callFunction(fn, [input], { t: 0 });
    if (r.kind !== 'vector') throw new Error('expected a vector');
    expect(r.elements.map((e) => e.labels.i)).toEqual(order);
    expect(r.elements.find((e) => e.labels.i === 'a')?.labels.__name__).toBe('m');
  });
});

describe('absent', () => {
  it.each<[string, Record<string, string>]>([
    ['absent(nonexistent{job="api", instance=~"a.*"})', { job: 'api' }],
    ['absent(nonexistent{job="api", job="web"})', {}], // two values: unknown
    ['absent(nonexistent{job=""})', {}],
    ['absent((nonexistent{job="api"}))', { job: 'api' }], // 2.42 removes the parentheses first
    ['absent(sum(nonexistent{job="api"}))', {}],
  ])('%s has labels %j', (query, labels) => {
    expect(callFunction('absent', [vector()], { t: 9000, argExprs: argExprsOf(query) })).toEqual({ kind: 'vector', elements: [{ labels, t: 9000, v: 1 }] });
  });
  it('is empty when the vector has elements', () => {
    expect(callFunction('absent', [vector([{}, 1])], { t: 0, argExprs: argExprsOf('absent(x)') })).toEqual({ kind: 'vector', elements: [] });
  });
});
