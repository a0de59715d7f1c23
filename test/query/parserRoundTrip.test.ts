import { describe, expect, it } from 'vitest';
import { formatExpr, parseExpr, prettyExpr } from '../../query/index.js';
import { corpus } from './promqlCorpus.js';
import { shape } from './promqlShape.js';

describe('PromQL printer: parse(print(parse(q))) equals parse(q) over the corpus', () => {
  it('has a broad corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
  });

  it.each(corpus)('%s', (q) => {
    const first = parseExpr(q);
    const printed = formatExpr(first);
    expect(shape(parseExpr(printed))).toEqual(shape(first));
    // Canonical output is a fixed point.
    expect(formatExpr(parseExpr(printed))).toBe(printed);
  });
});

describe('PromQL pretty printer: parse(pretty(parse(q))) equals parse(q) over the corpus', () => {
  // Byte-for-byte agreement with Prometheus' own Prettify is checked against a real Prometheus
  // (prometheusConformance.test.ts); here: whatever it splits, the text means the same query.
  it.each(corpus)('%s', (q) => {
    const first = parseExpr(q);
    expect(shape(parseExpr(prettyExpr(first)))).toEqual(shape(first));
  });
});

describe('PromQL printer: canonical text as Prometheus 2.42 String() prints it', () => {
  const cases: { input: string; printed: string }[] = [
    { input: 'sum(rate(x[5m])) by (job)', printed: 'sum by (job) (rate(x[5m]))' },
    { input: 'SUM WITHOUT(a,b)(x)', printed: 'sum without (a, b) (x)' },
    { input: 'sum by () (x)', printed: 'sum(x)' },
    { input: 'sum without () (x)', printed: 'sum without () (x)' },
    { input: 'topk(3,x)', printed: 'topk(3, x)' },
    { input: 'a+on(b)group_left(c)d', printed: 'a + on (b) group_left (c) d' },
    { input: 'a / ignoring(b) group_right d', printed: 'a / ignoring (b) group_right () d' },
    { input: 'a + ignoring() b', printed: 'a + b' },
    { input: 'a AND on() b', printed: 'a and on () b' },
    { input: 'a>bool 1', printed: 'a > bool 1' },
    { input: 'x offset 5m @ 100', printed: 'x @ 100.000 offset 5m' },
    { input: 'x @ 1.2345', printed: 'x @ 1.235' },
    { input: 'x @ -1.5', printed: 'x @ -1.500' },
    { input: 'x[1m] offset -90s @ start()', printed: 'x[1m] @ start() offset -1m30s' },
    { input: 'x[3600s:60s] offset 1d', printed: 'x[1h:1m] offset 1d' },
    { input: 'x[5m:]', printed: 'x[5m:]' },
    { input: 'x{b="2",a="1"}', printed: 'x{a="1",b="2"}' },
    { input: "{a='x'}", printed: '{a="x"}' },
    { input: 'x{a="\\u00e9\\x01"}', printed: 'x{a="é\\x01"}' },
    { input: '0x10', printed: '16' },
    { input: '1e6', printed: '1e+06' },
    { input: '123456', printed: '123456' },
    { input: '0.0001', printed: '0.0001' },
    { input: '0.00001', printed: '1e-05' },
    { input: '-Inf', printed: '-Inf' },
    { input: 'inf', printed: '+Inf' },
    { input: 'nan', printed: 'NaN' },
    { input: "'it\\'s'", printed: '"it\'s"' },
    { input: '- -1', printed: '1' },
    { input: 'Inf ^ 2 + Inf', printed: 'Inf ^ 2 + +Inf' }, // found by the fuzzer: "+Inf ^ 2" would read back as +(Inf ^ 2)
    { input: '-(1)', printed: '-(1)' },
    { input: 'label_join(x,"a",",","b")', printed: 'label_join(x, "a", ",", "b")' },
    { input: 'rate(x[5m]) # trailing comment', printed: 'rate(x[5m])' },
  ];
  it.each(cases)('$input', ({ input, printed }) => {
    expect(formatExpr(parseExpr(input))).toBe(printed);
  });
});
