import { describe, expect, it } from 'vitest';
import { LogqlParseError, parseLogql } from '../../../query/logql/index.js';

/** Parser errors: where they point (0-based offset) and what they say. */
const errors: Array<[string, number, string]> = [
  ['', 0, 'empty query'],
  ['{app="a"', 8, 'expected "," or "}"'],
  ['{app="a"} |= ', 13, 'expected a line filter value'],
  ['{app="a"} |= "x" or', 19, 'expected a line filter value after "or"'],
  ['{app="a"} | json a=b', 19, 'expected an expression as a quoted string'],
  ['{app="a"} | level > "x"', 20, 'expected a number, duration or byte size'],
  ['{app="a"} | size > 10XB', 19, '"10XB" is not a number, duration or byte size'],
  ['{app="a"} | line_format "{{.a"', 12, 'invalid template: unclosed action'],
  ['{app="a"} | line_format "{{ nope .a }}"', 12, 'function "nope" not defined'],
  ['{app="a"} | label_format a=b, a=c', 30, "multiple label name 'a'"],
  ['{app="a"} | logfmt --loud', 19, 'unknown logfmt flag --loud'],
  ['{app="a"} |~ "a(" ', 10, 'invalid regular expression "a(" in line filter'],
  ['{app=~"a("}', 4, 'invalid regular expression "a("'],
  ['{app!="a"}', 0, 'at least one regexp or equality matcher'],
  ['count_over_time({app="a"})', 25, 'expected "[" and a range such as [5m]'],
  ['count_over_time({app="a"}[5x])', 26, 'expected a duration for the range'],
  ['sum_over_time({app="a"}[5m])', 0, 'invalid aggregation sum_over_time without unwrap'],
  ['count_over_time({app="a"}[5m]) by (x)', 0, 'grouping not allowed for count_over_time'],
  ['topk(0, count_over_time({app="a"}[5m]))', 0, 'invalid parameter for topk'],
  ['sum(count_over_time({app="a"}[5m])) +', 37, 'expected a metric expression'],
  ['1 and 2', 2, 'set operator "and" not allowed in binary scalar expression'],
  ['{app="a"} + 1', 10, 'unexpected input after the query'],
  ['sum({app="a"})', 4, 'a log query cannot be used in a metric expression'],
  ['{app="a"} | unwrap x', 0, 'unwrap is only allowed inside a range aggregation'],
  ['{app="a"} |= "\\q"', 14, 'invalid escape sequence \\q'],
  ['{app="a"} $', 10, 'unexpected character "$"'],
  [`${'('.repeat(200)}1${')'.repeat(200)}`, 129, 'query nesting too deep'],
];

describe('LogQL parse errors', () => {
  it.each(errors)('%j fails at %i: %s', (query, position, message) => {
    let caught: unknown;
    try {
      parseLogql(query);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LogqlParseError);
    const e = caught as LogqlParseError;
    expect(e.message).toContain(message);
    expect(e.position).toBe(position);
    expect(e.code).toBe('bad_data');
  });

  it('refuses a query over the length limit without reading it', () => {
    expect(() => parseLogql(`{app="${'a'.repeat(200_000)}"}`)).toThrow(/longer than/);
  });
});

/** Valid queries and the shape they parse to (a few fields each). */
const shapes: Array<[string, unknown]> = [
  ['{app="a"} |= "x" or "y" | json | level="error" or status >= 500, dur < 1.5s', { kind: 'log', stages: [{ kind: 'lineFilter', op: '|=', values: ['x', 'y'] }, { kind: 'json' }, { kind: 'labelFilter' }] }],
  ['{app="a"} | logfmt --strict --keep-empty a, b="c"', { kind: 'log', stages: [{ kind: 'logfmt', strict: true, keepEmpty: true, params: [{ label: 'a', source: 'a' }, { label: 'b', source: 'c' }] }] }],
  ['{app="a"} | drop a, b="x" | keep c, d=~"y.*"', { stages: [{ kind: 'drop', items: [{ name: 'a' }, { name: 'b', matcher: { type: '=', name: 'b', value: 'x' } }] }, { kind: 'keep' }] }],
  ['sum by (a) (rate({app="a"}[5m] offset 1h))', { kind: 'vector', op: 'sum', grouping: { without: false, labels: ['a'] }, expr: { kind: 'range', op: 'rate', rangeMs: 300_000, offsetMs: 3_600_000 } }],
  ['sum(rate({app="a"}[5m])) without (b)', { kind: 'vector', grouping: { without: true, labels: ['b'] } }],
  ['quantile_over_time(0.99, {app="a"} | unwrap bytes(size) | __error__="" [1m]) by (x)', { kind: 'range', param: 0.99, unwrap: { label: 'size', conversion: 'bytes', postFilters: [{ kind: 'match' }] }, grouping: { labels: ['x'] } }],
  ['1 + 2 * 3 ^ 2 ^ 2', { kind: 'binary', op: '+', rhs: { op: '*', rhs: { op: '^', lhs: { value: 3 }, rhs: { op: '^' } } } }],
  ['sum(count_over_time({a="b"}[1m])) > bool on (x) group_left (y) sum(count_over_time({a="c"}[1m]))', { kind: 'binary', op: '>', bool: true, matching: { on: true, labels: ['x'], group: { side: 'left', include: ['y'] } } }],
  ['count_over_time(({app="a"} |= "x")[1m])', { kind: 'range', log: { stages: [{ kind: 'lineFilter' }] } }],
  ['{app="a"} # a comment\n |= `raw \\ text`', { stages: [{ values: ['raw \\ text'] }] }],
];

describe('LogQL parse shapes', () => {
  it.each(shapes)('%s', (query, shape) => {
    expect(parseLogql(query)).toMatchObject(shape as object);
  });
});
