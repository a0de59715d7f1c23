import { describe, expect, it } from 'vitest';
import type { AggregateOp } from '../../../query/index.js';
import type { VectorElement } from '../../../query/engine/index.js';
import { operators } from '../../../query/engine/operators/index.js';
import { el, sorted, T } from './support.js';

// Shaped like Prometheus' promql/testdata/aggregators.test http_requests at 50m.
const http = [
  el({ __name__: 'http_requests', job: 'api-server', instance: '0', group: 'production' }, 100, 0),
  el({ __name__: 'http_requests', job: 'api-server', instance: '1', group: 'production' }, 200, 0),
  el({ __name__: 'http_requests', job: 'api-server', instance: '0', group: 'canary' }, 300, 0),
  el({ __name__: 'http_requests', job: 'api-server', instance: '1', group: 'canary' }, 400, 0),
  el({ __name__: 'http_requests', job: 'app-server', instance: '0', group: 'production' }, 500, 0),
  el({ __name__: 'http_requests', job: 'app-server', instance: '1', group: 'production' }, 600, 0),
  el({ __name__: 'http_requests', job: 'app-server', instance: '0', group: 'canary' }, 700, 0),
  el({ __name__: 'http_requests', job: 'app-server', instance: '1', group: 'canary' }, 800, 0),
];
const values = (vs: number[]): VectorElement[] => vs.map((v, i) => el({ __name__: 'm', i: String(i) }, v, 0));

interface Case {
  name: string;
  op: AggregateOp;
  vector: VectorElement[];
  grouping?: string[];
  without?: boolean;
  param?: number | string;
  want: VectorElement[];
}

const cases: Case[] = [
  // aggregators.test: sum by (job), count by (job), avg by (job), sum without (instance), sum by (group) etc.
  { name: 'sum by (job)', op: 'sum', vector: http, grouping: ['job'], want: [el({ job: 'api-server' }, 1000), el({ job: 'app-server' }, 2600)] },
  { name: 'count by (job)', op: 'count', vector: http, grouping: ['job'], want: [el({ job: 'api-server' }, 4), el({ job: 'app-server' }, 4)] },
  { name: 'avg by (job)', op: 'avg', vector: http, grouping: ['job'], want: [el({ job: 'api-server' }, 250), el({ job: 'app-server' }, 650)] },
  { name: 'sum() over everything has no labels', op: 'sum', vector: http, want: [el({}, 3600)] },
  {
    name: 'sum without (instance) also drops the name',
    op: 'sum',
    vector: http,
    grouping: ['instance'],
    without: true,
    want: [
      el({ group: 'canary', job: 'api-server' }, 700),
      el({ group: 'canary', job: 'app-server' }, 1500),
      el({ group: 'production', job: 'api-server' }, 300),
      el({ group: 'production', job: 'app-server' }, 1100),
    ],
  },
  { name: 'sum by (__name__) keeps the name', op: 'sum', vector: http.slice(0, 2), grouping: ['__name__'], want: [el({ __name__: 'http_requests' }, 300)] },
  { name: 'by a label no series has: one group, no labels', op: 'sum', vector: http.slice(0, 2), grouping: ['nope'], want: [el({}, 300)] },
  { name: 'group by (job) is 1', op: 'group', vector: http, grouping: ['job'], want: [el({ job: 'api-server' }, 1), el({ job: 'app-server' }, 1)] },
  // aggregators.test: stddev(http_requests) by (job) / stdvar.
  { name: 'stdvar by (job)', op: 'stdvar', vector: http, grouping: ['job'], want: [el({ job: 'api-server' }, 12500), el({ job: 'app-server' }, 12500)] },
  { name: 'stddev by (job)', op: 'stddev', vector: http, grouping: ['job'], want: [el({ job: 'api-server' }, 111.80339887498948), el({ job: 'app-server' }, 111.80339887498948)] },
  { name: 'stddev of one element is 0', op: 'stddev', vector: values([42]), want: [el({}, 0)] },
  { name: 'stddev with an infinity is NaN', op: 'stddev', vector: values([1, Infinity]), want: [el({}, NaN)] },
  // aggregators.test (avg with Inf): the incremental mean keeps an infinity.
  { name: 'avg of +Inf and -Inf is NaN', op: 'avg', vector: values([Infinity, -Infinity]), want: [el({}, NaN)] },
  { name: 'avg of +Inf and a finite value is +Inf', op: 'avg', vector: values([Infinity, 1, 2]), want: [el({}, Infinity)] },
  { name: 'avg of a finite value then -Inf is -Inf', op: 'avg', vector: values([1, -Infinity, -Infinity]), want: [el({}, -Infinity)] },
  { name: 'avg with NaN is NaN', op: 'avg', vector: values([Infinity, NaN]), want: [el({}, NaN)] },
  { name: 'avg does not overflow near the float limit', op: 'avg', vector: values([1.7e308, 1.7e308]), want: [el({}, 1.7e308)] },
  { name: 'sum near the float limit overflows', op: 'sum', vector: values([1.7e308, 1.7e308]), want: [el({}, Infinity)] },
  // NaN handling of max/min: a NaN is replaced by any later value, never the other way round.
  { name: 'max(NaN, 1) is 1', op: 'max', vector: values([NaN, 1]), want: [el({}, 1)] },
  { name: 'max(1, NaN) is 1', op: 'max', vector: values([1, NaN]), want: [el({}, 1)] },
  { name: 'min(NaN, NaN) is NaN', op: 'min', vector: values([NaN, NaN]), want: [el({}, NaN)] },
  { name: 'min(3, NaN, -Inf) is -Inf', op: 'min', vector: values([3, NaN, -Infinity]), want: [el({}, -Infinity)] },
  { name: 'sum with NaN is NaN', op: 'sum', vector: values([1, NaN]), want: [el({}, NaN)] },
  // Quantile: linear interpolation between ranks; aggregators.test uses quantile 0.8 over 1..8 kinds of data.
  { name: 'quantile 0.5 interpolates', op: 'quantile', vector: values([1, 2, 3, 4]), param: 0.5, want: [el({}, 2.5)] },
  { name: 'quantile 0.8 by (job)', op: 'quantile', vector: http, grouping: ['job'], param: 0.8, want: [el({ job: 'api-server' }, 340), el({ job: 'app-server' }, 740)] },
  { name: 'quantile 0 is the minimum', op: 'quantile', vector: values([3, 1, 2]), param: 0, want: [el({}, 1)] },
  { name: 'quantile 1 is the maximum', op: 'quantile', vector: values([3, 1, 2]), param: 1, want: [el({}, 3)] },
  { name: 'quantile < 0 is -Inf', op: 'quantile', vector: values([1, 2]), param: -0.1, want: [el({}, -Infinity)] },
  { name: 'quantile > 1 is +Inf', op: 'quantile', vector: values([1, 2]), param: 1.1, want: [el({}, Infinity)] },
  { name: 'quantile NaN is NaN', op: 'quantile', vector: values([1, 2]), param: NaN, want: [el({}, NaN)] },
  { name: 'quantile of one element', op: 'quantile', vector: values([7]), param: 0.3, want: [el({}, 7)] },
  { name: 'quantile sorts NaN first', op: 'quantile', vector: values([5, NaN, 1]), param: 1, want: [el({}, 5)] },
  { name: 'quantile weighs an infinite neighbour by 0 and gets NaN (Inf·0)', op: 'quantile', vector: values([1, Infinity]), param: 0, want: [el({}, NaN)] },
  // count_values: the value as Go's 'f' format, grouped by the new label.
  {
    name: 'count_values counts equal values',
    op: 'count_values',
    vector: values([1, 1, 2.5, 1e21, 1e-7, NaN, Infinity]),
    param: 'value',
    want: [
      el({ value: '1' }, 2),
      el({ value: '2.5' }, 1),
      el({ value: '1000000000000000000000' }, 1),
      el({ value: '0.0000001' }, 1),
      el({ value: 'NaN' }, 1),
      el({ value: '+Inf' }, 1),
    ],
  },
  {
    // aggregators.test: count_values("version", version) by (job).
    name: 'count_values by (job) keeps job and the value label',
    op: 'count_values',
    vector: [el({ __name__: 'version', job: 'a', i: '1' }, 6), el({ __name__: 'version', job: 'a', i: '2' }, 6), el({ __name__: 'version', job: 'b', i: '1' }, 7)],
    grouping: ['job'],
    param: 'version',
    want: [el({ job: 'a', version: '6' }, 2), el({ job: 'b', version: '7' }, 1)],
  },
  {
    name: 'count_values replaces a label of the same name (collision)',
    op: 'count_values',
    vector: [el({ __name__: 'm', job: 'a' }, 1), el({ __name__: 'm', job: 'b' }, 1), el({ __name__: 'm', job: 'c' }, 2)],
    param: 'job',
    want: [el({ job: '1' }, 2), el({ job: '2' }, 1)],
  },
  {
    name: 'count_values without (i) keeps the other labels, drops the name',
    op: 'count_values',
    vector: [el({ __name__: 'm', job: 'a', i: '1' }, 1), el({ __name__: 'm', job: 'a', i: '2' }, 1)],
    grouping: ['i'],
    without: true,
    param: 'v',
    want: [el({ job: 'a', v: '1' }, 2)],
  },
];

describe('operators.aggregate', () => {
  it.each(cases)('$name', (c) => {
    expect(sorted(operators.aggregate(c.op, c.vector, c.grouping ?? [], c.without ?? false, c.param, T))).toEqual(sorted(c.want));
  });
});

interface KCase {
  name: string;
  op: 'topk' | 'bottomk';
  vector: VectorElement[];
  k: number;
  grouping?: string[];
  want: VectorElement[];
}

// Order matters here: topk/bottomk give each group's survivors best first.
const kCases: KCase[] = [
  {
    // aggregators.test: topk(3, http_requests) and bottomk(3, http_requests).
    name: 'topk(3) keeps labels and name, largest first',
    op: 'topk',
    vector: http,
    k: 3,
    want: [http[7], http[6], http[5]].map((e) => el(e!.labels, e!.v)),
  },
  { name: 'bottomk(3), smallest first', op: 'bottomk', vector: http, k: 3, want: [http[0], http[1], http[2]].map((e) => el(e!.labels, e!.v)) },
  {
    name: 'topk by (group)',
    op: 'topk',
    vector: http,
    k: 1,
    grouping: ['group'],
    want: [el(http[5]!.labels, 600), el(http[7]!.labels, 800)],
  },
  { name: 'k is truncated: 2.9 → 2', op: 'topk', vector: values([1, 2, 3]), k: 2.9, want: [el({ __name__: 'm', i: '2' }, 3), el({ __name__: 'm', i: '1' }, 2)] },
  { name: 'k < 1 gives nothing', op: 'topk', vector: values([1, 2, 3]), k: 0.5, want: [] },
  { name: 'negative k gives nothing', op: 'bottomk', vector: values([1, 2, 3]), k: -1, want: [] },
  { name: 'k beyond the size gives everything', op: 'topk', vector: values([2, 1]), k: 10, want: [el({ __name__: 'm', i: '0' }, 2), el({ __name__: 'm', i: '1' }, 1)] },
  {
    // aggregators.test: NaN is the worst value for both topk and bottomk.
    name: 'topk ranks NaN last and drops it first',
    op: 'topk',
    vector: values([NaN, 1, NaN, 3]),
    k: 3,
    want: [el({ __name__: 'm', i: '3' }, 3), el({ __name__: 'm', i: '1' }, 1), el({ __name__: 'm', i: '0' }, NaN)],
  },
  {
    name: 'bottomk ranks NaN last too',
    op: 'bottomk',
    vector: values([NaN, 5, 3]),
    k: 3,
    want: [el({ __name__: 'm', i: '2' }, 3), el({ __name__: 'm', i: '1' }, 5), el({ __name__: 'm', i: '0' }, NaN)],
  },
  {
    name: 'ties: an equal value never displaces an earlier one',
    op: 'topk',
    vector: values([5, 5, 5, 5]),
    k: 2,
    want: [el({ __name__: 'm', i: '0' }, 5), el({ __name__: 'm', i: '1' }, 5)],
  },
  {
    name: 'ties: a better value displaces the heap root',
    op: 'bottomk',
    vector: values([2, 2, 1, 2]),
    k: 2,
    want: [el({ __name__: 'm', i: '2' }, 1), el({ __name__: 'm', i: '1' }, 2)],
  },
];

describe('operators.aggregate topk/bottomk', () => {
  it.each(kCases)('$name', (c) => {
    expect(operators.aggregate(c.op, c.vector, c.grouping ?? [], false, c.k, T)).toEqual(c.want);
  });
});

describe('operators.aggregate errors', () => {
  it.each([
    ['topk', NaN, 'Scalar value NaN overflows int64'],
    ['topk', Infinity, 'Scalar value +Inf overflows int64'],
    ['bottomk', -Infinity, 'Scalar value -Inf overflows int64'],
    ['bottomk', 1e19, 'Scalar value 1e+19 overflows int64'],
    ['count_values', 'a-b', 'invalid label name "a-b"'],
    ['count_values', '', 'invalid label name ""'],
  ] as const)('%s(%s, …) fails: %s', (op, param, message) => {
    // Checked before anything else: an empty vector fails too.
    for (const vector of [values([1]), []]) {
      expect(() => operators.aggregate(op, vector, [], false, param, T)).toThrow(message);
    }
  });
});
