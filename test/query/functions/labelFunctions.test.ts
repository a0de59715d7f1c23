import { describe, expect, it } from 'vitest';
import type { Labels } from '../../../core/index.js';
import type { EvalValue } from '../../../query/engine/functions/index.js';
import { callFunction, str, vector } from './callFunction.js';

const input = vector([{ __name__: 'up', job: 'api-server', service: 'a:c' }, 1]);

function labelsAfter(fn: string, args: readonly EvalValue[]): Labels | undefined {
  const r = callFunction(fn, args, { t: 0 });
  return r.kind === 'vector' ? r.elements[0]?.labels : undefined;
}

const replace = (dst: string, repl: string, src: string, regex: string, v: EvalValue = input): Labels | undefined =>
  labelsAfter('label_replace', [v, str(dst), str(repl), str(src), str(regex)]);

// Replacement expansion follows Go's Regexp.Expand; the `$…` cases were checked against Go 1.26.
describe('label_replace', () => {
  it.each<[string, string, string, string, string, Labels]>([
    ['capture group', 'foo', '$1', 'service', '(.*):.*', { __name__: 'up', job: 'api-server', service: 'a:c', foo: 'a' }],
    ['${1} before text', 'foo', '${1}x', 'service', '(.*):.*', { __name__: 'up', job: 'api-server', service: 'a:c', foo: 'ax' }],
    // `$1x` names group "1x", which does not exist: empty, so foo is not set.
    ['$1x is the group named 1x', 'foo', '$1x', 'service', '(.*):.*', { __name__: 'up', job: 'api-server', service: 'a:c' }],
    ['named group', 'foo', '$name-$$', 'service', '(?P<name>.*):.*', { __name__: 'up', job: 'api-server', service: 'a:c', foo: 'a-$' }],
    ['a lone $ is kept', 'foo', 'x$', 'service', '.*', { __name__: 'up', job: 'api-server', service: 'a:c', foo: 'x$' }],
    ['no match keeps the series', 'foo', '$1', 'service', 'x(.*)', { __name__: 'up', job: 'api-server', service: 'a:c' }],
    ['anchored: a partial match is no match', 'foo', 'y', 'job', 'api', { __name__: 'up', job: 'api-server', service: 'a:c' }],
    ['an empty result deletes the label', 'job', '', 'job', '.*', { __name__: 'up', service: 'a:c' }],
    ['a missing source label is the empty string', 'foo', 'none', 'nope', '', { __name__: 'up', job: 'api-server', service: 'a:c', foo: 'none' }],
    ['RE2 flags work', 'foo', '$1', 'job', '(?i)(API)-.*', { __name__: 'up', job: 'api-server', service: 'a:c', foo: 'api' }],
    ['__name__ can be the destination', '__name__', 'renamed', 'job', '.*', { __name__: 'renamed', job: 'api-server', service: 'a:c' }],
  ])('%s', (_case, dst, repl, src, regex, expected) => {
    expect(replace(dst, repl, src, regex)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['(.*', 'foo', 'invalid regular expression in label_replace(): (.*'],
    ['(?<name>a)', 'foo', 'invalid regular expression in label_replace(): (?<name>a)'], // Go 1.19 refuses this syntax
    ['a(?=b)', 'foo', 'invalid regular expression in label_replace(): a(?=b)'], // no look-ahead in RE2
    ['.*', '0abc', 'invalid destination label name in label_replace(): 0abc'],
    ['.*', '', 'invalid destination label name in label_replace(): '],
  ])('regex %j, destination %j: %s', (regex, dst, message) => {
    expect(() => replace(dst, '$1', 'job', regex)).toThrow(message);
    // Checked at every step, even with nothing to relabel.
    expect(() => replace(dst, '$1', 'job', regex, vector())).toThrow(message);
  });
});

describe('label_join', () => {
  const join = (v: EvalValue, dst: string, sep: string, ...src: string[]): Labels | undefined =>
    labelsAfter('label_join', [v, str(dst), str(sep), ...src.map(str)]);
  const v = vector([{ __name__: 'm', a: '1', b: '2', c: '3' }, 5]);

  it.each<[string, string, string, string[], Labels]>([
    ['joins in argument order', 'dst', ',', ['c', 'a', 'b'], { __name__: 'm', a: '1', b: '2', c: '3', dst: '3,1,2' }],
    ['missing labels join as empty', 'dst', '-', ['a', 'x', 'b'], { __name__: 'm', a: '1', b: '2', c: '3', dst: '1--2' }],
    ['overwrites an existing label', 'a', '', ['b', 'c'], { __name__: 'm', a: '23', b: '2', c: '3' }],
    ['an empty result deletes the destination', 'a', '', ['x'], { __name__: 'm', b: '2', c: '3' }],
    ['no source labels: deletes the destination', 'c', ',', [], { __name__: 'm', a: '1', b: '2' }],
  ])('%s', (_case, dst, sep, src, expected) => {
    expect(join(v, dst, sep, ...src)).toEqual(expected);
  });

  it.each<[string, string[], string]>([
    ['dst', ['a', '1x'], 'invalid source label name in label_join(): 1x'],
    ['d-st', ['a'], 'invalid destination label name in label_join(): d-st'],
  ])('refuses invalid label names (%s, %j)', (dst, src, message) => {
    expect(() => join(vector(), dst, ',', ...src)).toThrow(message);
  });

  it('treats prototype names as ordinary labels', () => {
    expect(join(vector([{ a: '1' }, 1]), '__proto__', ',', 'a', 'constructor')).toEqual({ a: '1', ['__proto__']: '1,' });
  });
});
