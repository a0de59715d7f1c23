import { describe, expect, it } from 'vitest';
import { formatExpr, isParseError, MAX_NESTING_DEPTH, parseExpr } from '../../query/index.js';
import type { LabelMatcher } from '../../storage/index.js';
import { grouped, shape } from './promqlShape.js';

const name = (value: string): LabelMatcher => ({ type: '=', name: '__name__', value });
const m = (n: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ type, name: n, value });

describe('PromQL parser: valid selectors', () => {
  const cases: { input: string; want: unknown }[] = [
    { input: 'up', want: { type: 'VectorSelector', name: 'up', matchers: [name('up')] } },
    { input: 'job:requests:rate5m', want: { type: 'VectorSelector', name: 'job:requests:rate5m', matchers: [name('job:requests:rate5m')] } },
    { input: '  up  # a comment', want: { type: 'VectorSelector', name: 'up', matchers: [name('up')] } },
    { input: 'up{}', want: { type: 'VectorSelector', name: 'up', matchers: [name('up')] } },
    {
      input: 'up{job="api",instance!="a:1",env=~"prod|stage",zone!~"eu-.*"}',
      want: {
        type: 'VectorSelector',
        name: 'up',
        matchers: [name('up'), m('job', '=', 'api'), m('instance', '!=', 'a:1'), m('env', '=~', 'prod|stage'), m('zone', '!~', 'eu-.*')],
      },
    },
    { input: '{job="api",}', want: { type: 'VectorSelector', name: '', matchers: [m('job', '=', 'api')] } },
    { input: '{__name__=~"up|down"}', want: { type: 'VectorSelector', name: '', matchers: [m('__name__', '=~', 'up|down')] } },
    { input: "up{job='single'}", want: { type: 'VectorSelector', name: 'up', matchers: [name('up'), m('job', '=', 'single')] } },
    { input: 'up{job=`raw\\n`}', want: { type: 'VectorSelector', name: 'up', matchers: [name('up'), m('job', '=', 'raw\\n')] } },
    {
      input: 'up{a="\\"q\\" \\\\ \\n\\t\\x41\\101\\u00e9\\U0001F600"}',
      want: { type: 'VectorSelector', name: 'up', matchers: [name('up'), m('a', '=', '"q" \\ \n\tAAé😀')] } },
    { input: "up{a='it\\'s'}", want: { type: 'VectorSelector', name: 'up', matchers: [name('up'), m('a', '=', "it's")] } },
    { input: 'up{a="\\xc3\\xa9"}', want: { type: 'VectorSelector', name: 'up', matchers: [name('up'), m('a', '=', 'é')] } },
    // Keywords are label names and metric names where the grammar allows.
    { input: 'up{by="x",sum="y"}', want: { type: 'VectorSelector', name: 'up', matchers: [name('up'), m('by', '=', 'x'), m('sum', '=', 'y')] } },
    { input: 'offset', want: { type: 'VectorSelector', name: 'offset', matchers: [name('offset')] } },
    {
      input: 'http_requests_total{code="500"}[5m]',
      want: {
        type: 'MatrixSelector',
        rangeMs: 300_000,
        vector: { type: 'VectorSelector', name: 'http_requests_total', matchers: [name('http_requests_total'), m('code', '=', '500')] },
      },
    },
    { input: 'up[1h30m]', want: { type: 'MatrixSelector', rangeMs: 5_400_000, vector: { type: 'VectorSelector', name: 'up', matchers: [name('up')] } } },
    { input: 'up[250ms]', want: { type: 'MatrixSelector', rangeMs: 250, vector: { type: 'VectorSelector', name: 'up', matchers: [name('up')] } } },
    { input: 'up[1y2w]', want: { type: 'MatrixSelector', rangeMs: (365 + 14) * 86_400_000, vector: { type: 'VectorSelector', name: 'up', matchers: [name('up')] } } },
  ];

  it.each(cases)('$input', ({ input, want }) => {
    expect(shape(parseExpr(input), { keepMatcherOrder: true })).toEqual(want);
  });

  it.each(cases)('prints and re-parses $input to the same tree', ({ input }) => {
    const first = parseExpr(input);
    const printed = formatExpr(first);
    expect(shape(parseExpr(printed))).toEqual(shape(first));
    expect(formatExpr(parseExpr(printed))).toBe(printed);
  });

  it('prints in canonical form', () => {
    expect(formatExpr(parseExpr("up{ job = 'a\"b' , x!~`\\d+` }[90s]"))).toBe('up{job="a\\"b",x!~"\\\\d+"}[1m30s]');
    expect(formatExpr(parseExpr('{a="\\x01"}'))).toBe('{a="\\x01"}');
  });

  it('records where each node starts and ends', () => {
    const e = parseExpr('  up{a="b"}[5m] ');
    expect(e.pos).toEqual({ start: 2, end: 15 });
    expect(e.type === 'MatrixSelector' && e.vector.pos).toEqual({ start: 2, end: 11 });
  });
});


describe('PromQL parser: precedence and associativity (as Prometheus 2.42)', () => {
  const cases: { input: string; grouped: string }[] = [
    { input: '1 + 2 * 3', grouped: '(1 + (2 * 3))' },
    { input: '1 * 2 + 3', grouped: '((1 * 2) + 3)' },
    { input: '1 - 2 - 3', grouped: '((1 - 2) - 3)' },
    { input: '2 ^ 3 ^ 2', grouped: '(2 ^ (3 ^ 2))' },
    { input: 'a * b ^ c', grouped: '(a * (b ^ c))' },
    { input: 'a % b atan2 c / d', grouped: '(((a % b) atan2 c) / d)' },
    { input: 'a + b == bool c - d', grouped: '((a + b) == bool (c - d))' },
    { input: 'a > b and c < d', grouped: '((a > b) and (c < d))' },
    { input: 'a or b and c', grouped: '(a or (b and c))' },
    { input: 'a and b or c', grouped: '((a and b) or c)' },
    { input: 'a unless b and c', grouped: '((a unless b) and c)' },
    { input: 'a or b or c', grouped: '((a or b) or c)' },
    { input: 'a AND b OR c', grouped: '((a and b) or c)' },
    // Unary minus binds like *: below ^, above +.
    { input: '-a ^ b', grouped: '(-(a ^ b))' },
    { input: '-a * b', grouped: '((-a) * b)' },
    { input: '-a + b', grouped: '((-a) + b)' },
    { input: 'a * -b ^ c', grouped: '(a * (-(b ^ c)))' },
    { input: 'a ^ -b * c', grouped: '((a ^ (-b)) * c)' },
    { input: '- - a', grouped: '(-(-a))' },
    // A sign on a number literal is folded into it.
    { input: '-1', grouped: '-1' },
    { input: '- -1', grouped: '1' },
    { input: '+5', grouped: '5' },
    { input: '-1 ^ 2', grouped: '(-(1 ^ 2))' },
    { input: '2 ^ -1', grouped: '(2 ^ -1)' },
    { input: '-(1)', grouped: '(-[1])' },
    { input: '(1 + 2) * 3', grouped: '([(1 + 2)] * 3)' },
    // Postfix modifiers bind tightest.
    { input: '-x offset 5m', grouped: '(-x@off300000)' },
    { input: 'a + b offset 5m', grouped: '(a + b@off300000)' },
    { input: 'a + max_over_time(b[5m:])', grouped: '(a + max_over_time(sub(b)))' },
    { input: '(a + b)[5m:]', grouped: 'sub([(a + b)])' },
    { input: 'sum(a) by (x) * 2', grouped: '(sum(a) * 2)' },
    { input: 'topk(3, a) + rate(b[1m])', grouped: '(topk(3, a) + rate(b[60000]))' },
  ];
  it.each(cases)('$input', ({ input, grouped: want }) => {
    expect(grouped(parseExpr(input))).toBe(want);
  });
});

const sel = (n: string, extra: Record<string, unknown> = {}): unknown => ({ type: 'VectorSelector', name: n, matchers: [name(n)], ...extra });
const num = (value: number): unknown => ({ type: 'NumberLiteral', value });

describe('PromQL parser: the tree of each construct', () => {
  const oneToOne = { card: 'one-to-one', on: false, labels: [], include: [] };
  const cases: { input: string; want: unknown }[] = [
    { input: '0x1f', want: num(31) },
    { input: '017', want: num(15) }, // Go's ParseInt with base 0: a leading 0 is octal
    { input: '08', want: num(8) }, // …and falls back to a float when it is not
    { input: '1.5e3', want: num(1500) },
    { input: '.5', want: num(0.5) },
    { input: '1.', want: num(1) },
    { input: 'Inf', want: num(Infinity) },
    { input: '-inf', want: num(-Infinity) },
    { input: 'NaN', want: { type: 'NumberLiteral', value: 'NaN' } },
    { input: '"a\\tb"', want: { type: 'StringLiteral', value: 'a\tb' } },
    { input: "'single'", want: { type: 'StringLiteral', value: 'single' } },
    { input: '`raw\\n`', want: { type: 'StringLiteral', value: 'raw\\n' } },
    { input: 'x offset 5m', want: sel('x', { offsetMs: 300_000 }) },
    { input: 'x offset -1h30m', want: sel('x', { offsetMs: -5_400_000 }) },
    { input: 'x @ 1.5', want: sel('x', { at: { kind: 'time', ms: 1500 } }) },
    { input: 'x @ -0.0005', want: sel('x', { at: { kind: 'time', ms: -1 } }) }, // rounded half away from zero, as Go's math.Round
    { input: 'x @ start() offset 1m', want: sel('x', { at: 'start', offsetMs: 60_000 }) },
    { input: 'x offset 1m @ end()', want: sel('x', { at: 'end', offsetMs: 60_000 }) },
    { input: 'x[5m] offset 1m @ 10', want: { type: 'MatrixSelector', rangeMs: 300_000, vector: sel('x', { offsetMs: 60_000, at: { kind: 'time', ms: 10_000 } }) } },
    { input: 'x[1h:5m]', want: { type: 'SubqueryExpr', expr: sel('x'), rangeMs: 3_600_000, stepMs: 300_000, offsetMs: 0, at: null } },
    { input: 'x[1h:] @ 5 offset -2m', want: { type: 'SubqueryExpr', expr: sel('x'), rangeMs: 3_600_000, stepMs: 0, offsetMs: -120_000, at: { kind: 'time', ms: 5000 } } },
    { input: 'a + b', want: { type: 'BinaryExpr', op: '+', lhs: sel('a'), rhs: sel('b'), returnBool: false, matching: oneToOne } },
    { input: 'a > bool 1', want: { type: 'BinaryExpr', op: '>', lhs: sel('a'), rhs: num(1), returnBool: true, matching: null } },
    { input: '1 == bool 2', want: { type: 'BinaryExpr', op: '==', lhs: num(1), rhs: num(2), returnBool: true, matching: null } },
    { input: '1 + on() a', want: { type: 'BinaryExpr', op: '+', lhs: num(1), rhs: sel('a'), returnBool: false, matching: null } },
    { input: 'a and b', want: { type: 'BinaryExpr', op: 'and', lhs: sel('a'), rhs: sel('b'), returnBool: false, matching: { ...oneToOne, card: 'many-to-many' } } },
    { input: 'a or on(x) b', want: { type: 'BinaryExpr', op: 'or', lhs: sel('a'), rhs: sel('b'), returnBool: false, matching: { card: 'many-to-many', on: true, labels: ['x'], include: [] } } },
    {
      input: 'a * on(x, y) group_left(z) b',
      want: { type: 'BinaryExpr', op: '*', lhs: sel('a'), rhs: sel('b'), returnBool: false, matching: { card: 'many-to-one', on: true, labels: ['x', 'y'], include: ['z'] } },
    },
    {
      input: 'a == bool ignoring(x) group_right b',
      want: { type: 'BinaryExpr', op: '==', lhs: sel('a'), rhs: sel('b'), returnBool: true, matching: { card: 'one-to-many', on: false, labels: ['x'], include: [] } },
    },
    { input: 'sum(x)', want: { type: 'AggregateExpr', op: 'sum', expr: sel('x'), param: null, grouping: [], without: false } },
    { input: 'SUM BY (a, b,) (x)', want: { type: 'AggregateExpr', op: 'sum', expr: sel('x'), param: null, grouping: ['a', 'b'], without: false } },
    { input: 'avg(x) without (on, sum)', want: { type: 'AggregateExpr', op: 'avg', expr: sel('x'), param: null, grouping: ['on', 'sum'], without: true } },
    { input: 'topk(5, x)', want: { type: 'AggregateExpr', op: 'topk', expr: sel('x'), param: num(5), grouping: [], without: false } },
    { input: 'count_values("v", x)', want: { type: 'AggregateExpr', op: 'count_values', expr: sel('x'), param: { type: 'StringLiteral', value: 'v' }, grouping: [], without: false } },
    { input: 'quantile by () (0.9, x)', want: { type: 'AggregateExpr', op: 'quantile', expr: sel('x'), param: num(0.9), grouping: [], without: false } },
    { input: 'time()', want: { type: 'Call', func: 'time', args: [] } },
    { input: 'round(x)', want: { type: 'Call', func: 'round', args: [sel('x')] } },
    { input: 'round(x, 5)', want: { type: 'Call', func: 'round', args: [sel('x'), num(5)] } },
    { input: 'label_join(x, "d", ",", "a", "b", "c")', want: { type: 'Call', func: 'label_join', args: [sel('x'), ...['d', ',', 'a', 'b', 'c'].map((value) => ({ type: 'StringLiteral', value }))] } },
    // Keywords that Prometheus accepts as metric names.
    { input: 'sum', want: sel('sum') },
    { input: 'sum{a="b"} offset 1m', want: { type: 'VectorSelector', name: 'sum', matchers: [name('sum'), m('a', '=', 'b')], offsetMs: 60_000 } },
    { input: 'by + without', want: { type: 'BinaryExpr', op: '+', lhs: sel('by'), rhs: sel('without'), returnBool: false, matching: oneToOne } },
    { input: '{__name__="on"}', want: { type: 'VectorSelector', name: '', matchers: [m('__name__', '=', 'on')] } },
    { input: '{nan="x", inf="y"}', want: { type: 'VectorSelector', name: '', matchers: [m('inf', '=', 'y'), m('nan', '=', 'x')] } },
  ];
  it.each(cases)('$input', ({ input, want }) => {
    expect(shape(parseExpr(input))).toEqual(want);
  });

  it('gives every node its position', () => {
    const e = parseExpr('sum by (a) (rate(x[5m] offset 1m)) / -y');
    expect(e.pos).toEqual({ start: 0, end: 39 });
    if (e.type !== 'BinaryExpr' || e.lhs.type !== 'AggregateExpr' || e.lhs.expr.type !== 'Call') throw new Error('unexpected tree');
    expect(e.lhs.pos).toEqual({ start: 0, end: 34 });
    expect(e.lhs.expr.pos).toEqual({ start: 12, end: 33 });
    expect(e.lhs.expr.args[0]?.pos).toEqual({ start: 17, end: 32 });
    expect(e.rhs.pos).toEqual({ start: 37, end: 39 });
  });
});

describe('PromQL parser: errors name the position (1-based) and the problem in Prometheus words', () => {
  const cases: { input: string; error: string }[] = [
    { input: '', error: 'parse error at char 1: no expression found in input' },
    { input: '   ', error: 'parse error at char 1: no expression found in input' },
    { input: '# only a comment', error: 'parse error at char 1: no expression found in input' },
    // Selectors and matchers.
    { input: '{}', error: 'parse error at char 1: vector selector must contain at least one non-empty matcher' },
    { input: '{job=""}', error: 'parse error at char 1: vector selector must contain at least one non-empty matcher' },
    { input: '{job=~".*"}', error: 'parse error at char 1: vector selector must contain at least one non-empty matcher' },
    { input: 'a + {x!="y"}', error: 'parse error at char 5: vector selector must contain at least one non-empty matcher' },
    { input: 'up{__name__="x"}', error: 'parse error at char 1: metric name must not be set twice: "up" or "x"' },
    { input: 'up{__name__=~"x"}', error: 'parse error at char 1: metric name must not be set twice: "up" or "x"' },
    { input: 'up{', error: 'parse error at char 4: unexpected end of input in label matching, expected identifier or "}"' },
    { input: 'up{job}', error: 'parse error at char 7: unexpected "}" in label matching, expected label matching operator' },
    { input: 'up{job==', error: 'parse error at char 7: unexpected <op:==> in label matching, expected label matching operator' },
    { input: 'up{job=api}', error: 'parse error at char 8: unexpected identifier "api" in label matching, expected string' },
    { input: 'up{job="a" x="b"}', error: 'parse error at char 12: unexpected identifier "x" in label matching, expected "," or "}"' },
    { input: 'up{"quoted"}', error: 'parse error at char 4: unexpected string "\\"quoted\\"" in label matching, expected identifier or "}"' },
    { input: 'up{job="a}', error: 'parse error at char 8: unterminated quoted string' },
    { input: 'up{job="a\nb"}', error: 'parse error at char 8: unterminated quoted string' },
    { input: 'up{job=`a}', error: 'parse error at char 8: unterminated raw string' },
    { input: 'up{job="\\q"}', error: 'parse error at char 9: unknown escape sequence U+0071 "q"' },
    { input: 'up{job="\\\'"}', error: 'parse error at char 9: unknown escape sequence U+0027 "\'"' },
    { input: 'up{job="\\x4"}', error: 'parse error at char 9: escape sequence is invalid or out of range' },
    { input: 'up{job="\\400"}', error: 'parse error at char 9: escape sequence is invalid or out of range' },
    { input: 'up{job="\\ud800"}', error: 'parse error at char 9: escape sequence is invalid or out of range' },
    { input: 'up{job="\\xff"}', error: 'parse error at char 8: string is not valid UTF-8' },
    { input: 'up{job=~"(a"}', error: 'parse error at char 9: invalid regular expression "(a": error parsing regexp: missing closing ): `(a`' },
    { input: 'up{job=~"(?=a)"}', error: 'parse error at char 9: invalid regular expression "(?=a)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`' },
    // Ranges, subqueries, offset and @.
    { input: 'up[5]', error: 'parse error at char 4: missing unit character in duration' },
    { input: 'up[]', error: 'parse error at char 4: missing unit character in duration' },
    { input: 'up[0s]', error: 'parse error at char 4: duration must be greater than 0' },
    { input: 'up[5m1h]', error: 'parse error at char 4: not a valid duration string: "5m1h"' },
    { input: 'up[5m', error: 'parse error at char 6: unexpected end of input in subquery or range, expected ":" or "]"' },
    { input: 'up[5m:1m', error: 'parse error at char 9: unexpected end of input in subquery selector, expected "]"' },
    { input: 'up[5m:"x"]', error: 'parse error at char 7: unexpected string "\\"x\\"" in subquery selector, expected duration or "]"' },
    { input: 'up[5m:0s]', error: 'parse error at char 7: duration must be greater than 0' },
    { input: 'up[5m][5m]', error: 'parse error at char 7: ranges only allowed for vector selectors' },
    { input: '(foo + bar)[5m]', error: 'parse error at char 12: ranges only allowed for vector selectors' },
    { input: 'rate(x[5m])[5m]', error: 'parse error at char 12: ranges only allowed for vector selectors' },
    { input: 'some_metric OFFSET 1m[5m]', error: 'parse error at char 22: no offset modifiers allowed before range' },
    { input: 'some_metric @ 123[5m]', error: 'parse error at char 18: no @ modifiers allowed before range' },
    { input: 'up[5x]', error: 'parse error at char 4: bad number or duration syntax: "5x"' },
    { input: 'x[5m:] [1m:]', error: 'parse error at char 1: subquery is only allowed on instant vector, got matrix instead' },
    { input: 'x[5m][1m:]', error: 'parse error at char 1: subquery is only allowed on instant vector, got matrix instead' },
    { input: 'x offset 5m offset 1m', error: 'parse error at char 1: offset may not be set multiple times' },
    { input: 'x[5m] offset 5m offset 1m', error: 'parse error at char 1: offset may not be set multiple times' },
    { input: 'x offset 0s', error: 'parse error at char 10: duration must be greater than 0' },
    { input: 'x offset 1', error: 'parse error at char 10: unexpected number "1" in offset, expected duration' },
    { input: 'x offset', error: 'parse error at char 9: unexpected end of input in offset, expected duration' },
    { input: 'sum(x) offset 1m', error: 'parse error at char 1: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery' },
    { input: '1 offset 1m', error: 'parse error at char 1: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery' },
    { input: 'x @ 1 @ 2', error: 'parse error at char 1: @ <timestamp> may not be set multiple times' },
    { input: 'x @ start() @ end()', error: 'parse error at char 1: @ <timestamp> may not be set multiple times' },
    { input: '(x) @ 1', error: 'parse error at char 1: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery' },
    { input: 'x @ Inf', error: 'parse error at char 1: timestamp out of bounds for @ modifier: +Inf' },
    { input: 'x @ foo', error: 'parse error at char 5: unexpected identifier "foo" in @, expected timestamp' },
    { input: 'x @ start', error: 'parse error at char 10: unexpected end of input in @, expected "("' },
    // Operators.
    { input: '1 +', error: 'parse error at char 4: unexpected end of input' },
    { input: '* 1', error: 'parse error at char 1: unexpected <op:*>' },
    { input: 'up down', error: 'parse error at char 4: unexpected identifier "down"' },
    { input: 'up}', error: 'parse error at char 3: unexpected "}"' },
    { input: 'up $', error: 'parse error at char 4: unexpected character: "$"' },
    { input: 'up)', error: "parse error at char 3: unexpected right parenthesis ')'" },
    { input: '(up', error: 'parse error at char 1: unclosed left parenthesis' },
    { input: '1 == 1', error: 'parse error at char 3: comparisons between scalars must use BOOL modifier' },
    { input: '1 + bool 2', error: 'parse error at char 3: bool modifier can only be used on comparison operators' },
    { input: 'a and bool b', error: 'parse error at char 3: bool modifier can only be used on comparison operators' },
    { input: 'a and 1', error: 'parse error at char 1: set operator "and" not allowed in binary scalar expression' },
    { input: '1 or 2', error: 'parse error at char 1: set operator "or" not allowed in binary scalar expression' },
    { input: 'a and on(x) group_left b', error: 'parse error at char 1: no grouping allowed for "and" operation' },
    { input: '1 + on(x) a', error: 'parse error at char 1: vector matching only allowed between instant vectors' },
    { input: 'a + on(x) group_left(x) b', error: 'parse error at char 3: label "x" must not occur in ON and GROUP clause at once' },
    { input: 'a + on(x:y) b', error: 'parse error at char 8: unexpected metric identifier "x:y" in grouping opts, expected label' },
    { input: 'a + on x b', error: 'parse error at char 8: unexpected identifier "x" in grouping opts, expected "("' },
    { input: 'a + on(x y) b', error: 'parse error at char 10: unexpected identifier "y" in grouping opts, expected "," or ")"' },
    { input: 'a + group_left b', error: 'parse error at char 5: unexpected <group_left>' },
    { input: 'x[5m] + 1', error: 'parse error at char 1: binary expression must contain only scalar and instant vector types' },
    { input: '1 + "a"', error: 'parse error at char 5: binary expression must contain only scalar and instant vector types' },
    { input: '-x[5m]', error: 'parse error at char 1: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"' },
    { input: '-"a"', error: 'parse error at char 1: unary expression only allowed on expressions of type scalar or instant vector, got "string"' },
    // Aggregations.
    { input: 'sum()', error: 'parse error at char 1: no arguments for aggregate expression provided' },
    { input: 'sum(a, b)', error: 'parse error at char 1: wrong number of arguments for aggregate expression provided, expected 1, got 2' },
    { input: 'topk(x)', error: 'parse error at char 1: wrong number of arguments for aggregate expression provided, expected 2, got 1' },
    { input: 'topk("a", x)', error: 'parse error at char 6: expected type scalar in aggregation parameter, got string' },
    { input: 'count_values(1, x)', error: 'parse error at char 14: expected type string in aggregation parameter, got scalar' },
    { input: 'sum(x[5m])', error: 'parse error at char 5: expected type instant vector in aggregation expression, got range vector' },
    { input: 'sum(1)', error: 'parse error at char 5: expected type instant vector in aggregation expression, got scalar' },
    { input: 'sum by (a) (x) by (b)', error: 'parse error at char 16: unexpected <by>' },
    { input: 'sum by (a)', error: 'parse error at char 11: unexpected end of input in aggregation, expected "("' },
    { input: 'sum(x,)', error: 'parse error at char 6: trailing commas not allowed in function call args' },
    // Function calls.
    { input: 'foo(x)', error: 'parse error at char 1: unknown function with name "foo"' },
    { input: 'limitk(1, x)', error: 'parse error at char 1: unknown function with name "limitk"' },
    { input: 'RATE(x[5m])', error: 'parse error at char 1: unknown function with name "RATE"' },
    { input: 'rate(x)', error: 'parse error at char 6: expected type range vector in call to function "rate", got instant vector' },
    { input: 'abs(x[5m])', error: 'parse error at char 5: expected type instant vector in call to function "abs", got range vector' },
    { input: 'rate()', error: 'parse error at char 1: expected 1 argument(s) in call to "rate", got 0' },
    { input: 'time(1)', error: 'parse error at char 1: expected 0 argument(s) in call to "time", got 1' },
    { input: 'round()', error: 'parse error at char 1: expected at least 1 argument(s) in call to "round", got 0' },
    { input: 'round(x, 1, 2)', error: 'parse error at char 1: expected at most 2 argument(s) in call to "round", got 3' },
    { input: 'label_join(x, "a")', error: 'parse error at char 1: expected at least 3 argument(s) in call to "label_join", got 2' },
    { input: 'label_join(x, "a", ",", 1)', error: 'parse error at char 25: expected type string in call to function "label_join", got scalar' },
    { input: 'histogram_quantile(x, y)', error: 'parse error at char 20: expected type scalar in call to function "histogram_quantile", got instant vector' },
    { input: 'rate(x[5m],)', error: 'parse error at char 11: trailing commas not allowed in function call args' },
    { input: 'rate(x[5m] y)', error: 'parse error at char 12: unexpected identifier "y" in function call, expected "," or ")"' },
    // Numbers.
    { input: '1e', error: 'parse error at char 1: bad number or duration syntax: "1e"' },
    { input: '0x', error: 'parse error at char 1: bad number or duration syntax: "0x"' },
    { input: '0x8000000000000000', error: 'parse error at char 1: error parsing number: "0x8000000000000000"' },
    { input: '5m', error: 'parse error at char 1: unexpected duration "5m"' },
    // Syntax errors win over type errors anywhere in the query, as in Prometheus.
    { input: 'rate(x) + (', error: 'parse error at char 12: unexpected end of input' },
  ];

  it.each(cases)('$input', ({ input, error }) => {
    let caught: unknown;
    try {
      parseExpr(input);
    } catch (err) {
      caught = err;
    }
    expect(isParseError(caught)).toBe(true);
    expect((caught as Error).message).toBe(error);
    expect((caught as { code: string }).code).toBe('bad_data');
  });

  it('quotes at most about 200 bytes of the input', () => {
    const long = 'x'.repeat(5000);
    for (const input of [`up{a=~"(${long}"}`, `${long}(x)`, `up{a=${long}}`]) {
      let message = '';
      try {
        parseExpr(input);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^parse error at char \d+: /);
      expect(message.length).toBeLessThan(400);
    }
  });
});

describe('PromQL parser: nesting is bounded, never a stack overflow', () => {
  it.each([
    ['parentheses', `${'('.repeat(100_000)}a${')'.repeat(100_000)}`],
    ['unary signs', `${'-'.repeat(100_000)}a`],
    ['a left-associative chain', Array.from({ length: 100_000 }, () => 'a').join(' + ')],
    ['a right-associative chain', Array.from({ length: 100_000 }, () => 'a').join(' ^ ')],
    ['nested calls', `${'abs('.repeat(100_000)}a${')'.repeat(100_000)}`],
    ['stacked subqueries', `a${'[1m:] offset 1m'.repeat(100_000)}`],
  ])('%s 100k deep', (_what, input) => {
    expect(() => parseExpr(input)).toThrow(/expression nesting too deep: more than 1000 levels/);
  });

  it(`accepts ${MAX_NESTING_DEPTH - 10} levels and prints them back`, () => {
    const n = MAX_NESTING_DEPTH - 10;
    const q = `${'('.repeat(n)}a${')'.repeat(n)}`;
    expect(formatExpr(parseExpr(q))).toBe(q);
    const chain = Array.from({ length: n }, () => 'a').join(' or ');
    expect(formatExpr(parseExpr(chain))).toBe(chain);
  });
});
