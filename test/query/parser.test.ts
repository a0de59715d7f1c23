import { describe, expect, it } from 'vitest';
import type { Expr } from '../../query/index.js';
import { formatExpr, isParseError, parseExpr } from '../../query/index.js';
import type { LabelMatcher } from '../../storage/index.js';

const name = (value: string): LabelMatcher => ({ type: '=', name: '__name__', value });
const m = (n: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ type, name: n, value });

/** The tree without positions: what the parser must agree on with the printer. */
function shape(e: Expr): unknown {
  return e.type === 'VectorSelector'
    ? { type: e.type, name: e.name, matchers: e.matchers }
    : { type: e.type, rangeMs: e.rangeMs, vector: shape(e.vector) };
}

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
    expect(shape(parseExpr(input))).toEqual(want);
  });

  it.each(cases)('prints and re-parses $input to the same tree', ({ input }) => {
    const first = parseExpr(input);
    const printed = formatExpr(first);
    expect(shape(parseExpr(printed))).toEqual(shape(first));
    expect(formatExpr(parseExpr(printed))).toBe(printed);
  });

  it('prints in canonical form', () => {
    expect(formatExpr(parseExpr("up{ job = 'a\"b' , x!~`\\d+` }[90s]"))).toBe('up{job="a\\"b", x!~"\\\\d+"}[1m30s]');
    expect(formatExpr(parseExpr('{a="\\x01"}'))).toBe('{a="\\x01"}');
  });

  it('records where each node starts and ends', () => {
    const e = parseExpr('  up{a="b"}[5m] ');
    expect(e.pos).toEqual({ start: 2, end: 15 });
    expect(e.type === 'MatrixSelector' && e.vector.pos).toEqual({ start: 2, end: 11 });
  });
});

describe('PromQL parser: errors name the position (1-based) and the problem', () => {
  const cases: { input: string; error: string }[] = [
    { input: '', error: 'parse error at char 1: no expression found in input' },
    { input: '   ', error: 'parse error at char 1: no expression found in input' },
    { input: '{}', error: 'parse error at char 1: vector selector must contain at least one non-empty matcher' },
    { input: '{job=""}', error: 'parse error at char 1: vector selector must contain at least one non-empty matcher' },
    { input: '{job=~".*"}', error: 'parse error at char 1: vector selector must contain at least one non-empty matcher' },
    { input: 'up{', error: 'parse error at char 4: unexpected end of input in label matching, expected label name' },
    { input: 'up{job}', error: 'parse error at char 7: unexpected punct "}" in label matching, expected one of "=", "!=", "=~" or "!~"' },
    { input: 'up{job==', error: 'parse error at char 7: unexpected operator "==" in label matching, expected one of "=", "!=", "=~" or "!~"' },
    { input: 'up{job=api}', error: 'parse error at char 8: unexpected identifier "api" in label matching, expected string' },
    { input: 'up{job="a" x="b"}', error: 'parse error at char 12: unexpected identifier "x" in label matching, expected "," or "}"' },
    { input: 'up{job="a}', error: 'parse error at char 8: unterminated quoted string' },
    { input: 'up{job="a\nb"}', error: 'parse error at char 8: unterminated quoted string' },
    { input: 'up{job=`a}', error: 'parse error at char 8: unterminated raw string' },
    { input: 'up{job="\\q"}', error: "parse error at char 9: unknown escape sequence U+0071 \"q\"" },
    { input: 'up{job="\\\'"}', error: "parse error at char 9: unknown escape sequence U+0027 \"'\"" },
    { input: 'up{job="\\x4"}', error: 'parse error at char 9: escape sequence is invalid or out of range' },
    { input: 'up{job="\\400"}', error: 'parse error at char 9: escape sequence is invalid or out of range' },
    { input: 'up{job="\\ud800"}', error: 'parse error at char 9: escape sequence is invalid or out of range' },
    { input: 'up{job="\\xff"}', error: 'parse error at char 8: string is not valid UTF-8' },
    { input: 'up{job=~"(a"}', error: 'parse error at char 9: invalid regular expression "(a": error parsing regexp: missing closing ): `(a`' },
    { input: 'up{job=~"(?=a)"}', error: 'parse error at char 9: invalid regular expression "(?=a)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`' },
    { input: 'up{__name__="x"}', error: 'parse error at char 4: metric name must not be set twice: "up" or "x"' },
    { input: 'up{"quoted"}', error: 'parse error at char 4: quoted metric and label names are not supported yet' },
    { input: 'up[5]', error: 'parse error at char 4: unexpected number "5" in range selector, expected duration' },
    { input: 'up[0s]', error: 'parse error at char 4: duration must be greater than 0' },
    { input: 'up[5m', error: 'parse error at char 6: unexpected end of input in range selector, expected "]"' },
    { input: 'up[5m:1m]', error: 'parse error at char 6: subqueries are not supported yet' },
    { input: 'up[5m][5m]', error: 'parse error at char 7: ranges only allowed for vector selectors' },
    { input: 'up[5x]', error: 'parse error at char 4: bad number or duration syntax: "5x"' },
    { input: 'up $', error: 'parse error at char 4: unexpected character: "$"' },
    { input: 'up down', error: 'parse error at char 4: unexpected identifier "down"' },
    { input: 'up}', error: 'parse error at char 3: unexpected punct "}"' },
    // Constructs of full PromQL, named so the user knows what is missing.
    { input: 'rate(up[5m])', error: 'parse error at char 1: function call "rate()" is not supported yet' },
    { input: 'sum(up)', error: 'parse error at char 1: aggregation "sum" is not supported yet' },
    { input: 'sum by (job) (up)', error: 'parse error at char 1: aggregation "sum" is not supported yet' },
    { input: 'up + 1', error: 'parse error at char 4: binary operator "+" is not supported yet' },
    { input: 'up == 1', error: 'parse error at char 4: binary operator "==" is not supported yet' },
    { input: 'up and down', error: 'parse error at char 4: binary operator "and" is not supported yet' },
    { input: 'up offset 5m', error: 'parse error at char 4: the offset modifier is not supported yet' },
    { input: 'up @ 100', error: 'parse error at char 4: the @ modifier is not supported yet' },
    { input: '42', error: 'parse error at char 1: number literals are not supported yet' },
    { input: '"text"', error: 'parse error at char 1: string literals are not supported yet' },
    { input: '-up', error: 'parse error at char 1: unary expressions are not supported yet' },
    { input: '(up)', error: 'parse error at char 1: parenthesized expressions are not supported yet' },
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
});
