import type { ExpositionFormat, ExpositionLimits, ExpositionSample } from '../../../ingest/index.js';

/** A valid input and the samples and metadata Prometheus 2.42 reads from it. */
export interface ValidCase {
  readonly name: string;
  readonly format: ExpositionFormat;
  readonly text: string;
  readonly samples: readonly { labels: Record<string, string>; value: number; timestampMs?: number }[];
  readonly metadata?: readonly { metricFamilyName: string; type: string; help: string; unit: string }[];
}

/** An invalid input: the line the error names and a part of its message. */
export interface ErrorCase {
  readonly name: string;
  readonly format: ExpositionFormat;
  readonly text: string;
  readonly line: number;
  readonly message: string;
  readonly limits?: Partial<ExpositionLimits>;
}

export type { ExpositionSample };

const s = (labels: Record<string, string>, value: number, timestampMs?: number) => (timestampMs === undefined ? { labels, value } : { labels, value, timestampMs });

export const validCases: readonly ValidCase[] = [
  { name: 'a bare sample', format: 'prometheus', text: 'up 1\n', samples: [s({ __name__: 'up' }, 1)] },
  { name: 'no final newline', format: 'prometheus', text: 'up 1', samples: [s({ __name__: 'up' }, 1)] },
  { name: 'colons in the metric name', format: 'prometheus', text: 'job:rate5m:sum 0.5\n', samples: [s({ __name__: 'job:rate5m:sum' }, 0.5)] },
  {
    name: 'escapes in a label value: \\\\, \\" and \\n',
    format: 'prometheus',
    text: 'm{path="C:\\\\dir\\\\file",msg="say \\"hi\\"",multi="a\\nb"} 1\n',
    samples: [s({ __name__: 'm', path: 'C:\\dir\\file', msg: 'say "hi"', multi: 'a\nb' }, 1)],
  },
  { name: 'an unknown escape is kept as written', format: 'prometheus', text: 'm{a="x\\qy"} 1\n', samples: [s({ __name__: 'm', a: 'x\\qy' }, 1)] },
  { name: 'a trailing comma in the label set', format: 'prometheus', text: 'm{a="1",} 2\n', samples: [s({ __name__: 'm', a: '1' }, 2)] },
  { name: 'an empty label set', format: 'prometheus', text: 'm{} 2\n', samples: [s({ __name__: 'm' }, 2)] },
  { name: 'an empty label value', format: 'prometheus', text: 'm{a=""} 2\n', samples: [s({ __name__: 'm', a: '' }, 2)] },
  { name: 'blanks around labels (text format)', format: 'prometheus', text: 'm { a = "1" , b="2" }\t3\n', samples: [s({ __name__: 'm', a: '1', b: '2' }, 3)] },
  { name: 'a millisecond timestamp', format: 'prometheus', text: 'm 1 1700000000123\n', samples: [s({ __name__: 'm' }, 1, 1700000000123)] },
  { name: 'a negative timestamp', format: 'prometheus', text: 'm 1 -5000\n', samples: [s({ __name__: 'm' }, 1, -5000)] },
  {
    name: 'NaN and infinities in any case',
    format: 'prometheus',
    text: 'a NaN\nb +Inf\nc -Inf\nd Inf\ne nan\nf -inf\ng +Infinity\n',
    samples: [s({ __name__: 'a' }, NaN), s({ __name__: 'b' }, Infinity), s({ __name__: 'c' }, -Infinity), s({ __name__: 'd' }, Infinity), s({ __name__: 'e' }, NaN), s({ __name__: 'f' }, -Infinity), s({ __name__: 'g' }, Infinity)],
  },
  {
    name: 'exponents, signs and leading dots',
    format: 'prometheus',
    text: 'a 1.5e3\nb -2E-2\nc .5\nd +7\ne 1e+308\n',
    samples: [s({ __name__: 'a' }, 1500), s({ __name__: 'b' }, -0.02), s({ __name__: 'c' }, 0.5), s({ __name__: 'd' }, 7), s({ __name__: 'e' }, 1e308)],
  },
  {
    name: 'HELP and TYPE, comments and blank lines',
    format: 'prometheus',
    text: '# a free comment\n\n# HELP http_requests_total Requests\\nby code, with a \\\\ and a \\"\n# TYPE http_requests_total counter\nhttp_requests_total{code="200"} 1027\n   \n# TYPE legacy untyped\nlegacy 3\n',
    samples: [s({ __name__: 'http_requests_total', code: '200' }, 1027), s({ __name__: 'legacy' }, 3)],
    metadata: [
      { metricFamilyName: 'http_requests_total', type: 'counter', help: 'Requests\nby code, with a \\ and a \\"', unit: '' },
      { metricFamilyName: 'legacy', type: 'unknown', help: '', unit: '' },
    ],
  },
  { name: 'HELP with no text', format: 'prometheus', text: '# HELP m\nm 1\n', samples: [s({ __name__: 'm' }, 1)], metadata: [{ metricFamilyName: 'm', type: 'unknown', help: '', unit: '' }] },
  {
    name: 'a histogram: buckets, sum and count as plain series',
    format: 'prometheus',
    text: '# TYPE rpc_seconds histogram\nrpc_seconds_bucket{le="0.1"} 3\nrpc_seconds_bucket{le="+Inf"} 5\nrpc_seconds_sum 0.42\nrpc_seconds_count 5\n',
    samples: [s({ __name__: 'rpc_seconds_bucket', le: '0.1' }, 3), s({ __name__: 'rpc_seconds_bucket', le: '+Inf' }, 5), s({ __name__: 'rpc_seconds_sum' }, 0.42), s({ __name__: 'rpc_seconds_count' }, 5)],
    metadata: [{ metricFamilyName: 'rpc_seconds', type: 'histogram', help: '', unit: '' }],
  },
  {
    name: 'a summary with quantiles',
    format: 'prometheus',
    text: '# TYPE gc summary\ngc{quantile="0.5"} 0.01\ngc{quantile="1"} NaN\ngc_sum 2\ngc_count 9\n',
    samples: [s({ __name__: 'gc', quantile: '0.5' }, 0.01), s({ __name__: 'gc', quantile: '1' }, NaN), s({ __name__: 'gc_sum' }, 2), s({ __name__: 'gc_count' }, 9)],
    metadata: [{ metricFamilyName: 'gc', type: 'summary', help: '', unit: '' }],
  },
  { name: 'CRLF line ends', format: 'prometheus', text: '# TYPE m gauge\r\nm 1\r\n', samples: [s({ __name__: 'm' }, 1)], metadata: [{ metricFamilyName: 'm', type: 'gauge', help: '', unit: '' }] },
  { name: 'UTF-8 in label values', format: 'prometheus', text: 'm{city="Zürich 東京 🙂"} 1\n', samples: [s({ __name__: 'm', city: 'Zürich 東京 🙂' }, 1)] },
  { name: 'OpenMetrics: float-second timestamps become milliseconds', format: 'openmetrics', text: 'm 1 1700000000.123\n# EOF\n', samples: [s({ __name__: 'm' }, 1, 1700000000123)] },
  { name: 'OpenMetrics: # EOF without a final newline', format: 'openmetrics', text: 'm 1\n# EOF', samples: [s({ __name__: 'm' }, 1)] },
  {
    name: 'OpenMetrics: UNIT, HELP with \\", _created kept as a series',
    format: 'openmetrics',
    text: '# TYPE req counter\n# UNIT req requests\n# HELP req Say \\"hi\\"\nreq_total 5\nreq_created 1700000000\n# EOF\n',
    samples: [s({ __name__: 'req_total' }, 5), s({ __name__: 'req_created' }, 1700000000)],
    metadata: [{ metricFamilyName: 'req', type: 'counter', help: 'Say "hi"', unit: 'requests' }],
  },
  {
    name: 'OpenMetrics: exemplars are skipped',
    format: 'openmetrics',
    text: 'h_bucket{le="1"} 2 # {trace_id="abc"} 0.5 1700000000\nh_bucket{le="+Inf"} 3 1700000001 # {} 7\n# EOF\n',
    samples: [s({ __name__: 'h_bucket', le: '1' }, 2), s({ __name__: 'h_bucket', le: '+Inf' }, 3, 1700000001000)],
  },
];

export const errorCases: readonly ErrorCase[] = [
  { name: 'unterminated label value', format: 'prometheus', text: 'ok 1\nm{a="1} 1\n', line: 2, message: 'unterminated value of label a in m' },
  { name: 'unquoted label value', format: 'prometheus', text: 'm{a=1} 1\n', line: 1, message: 'expected a quoted value for label a in m' },
  { name: 'label name starting with a digit', format: 'prometheus', text: 'm{1a="x"} 1\n', line: 1, message: 'expected a label name or "}" in m' },
  { name: 'colon in a label name', format: 'prometheus', text: 'm{a:b="x"} 1\n', line: 1, message: 'expected "=" after label name a in m' },
  { name: 'missing "," between labels', format: 'prometheus', text: 'm{a="x" b="y"} 1\n', line: 1, message: 'expected "," or "}" after the value of label a in m' },
  { name: 'a duplicate label', format: 'prometheus', text: 'm{a="1",a="2"} 1\n', line: 1, message: 'label a appears twice in m' },
  { name: 'no value', format: 'prometheus', text: '\n\nm\n', line: 3, message: 'no value for m' },
  { name: 'a word as value', format: 'prometheus', text: 'm abc\n', line: 1, message: 'invalid value for m' },
  { name: 'a hex value (Go refuses it too)', format: 'prometheus', text: 'm 0x10\n', line: 1, message: 'invalid value for m' },
  { name: 'a float timestamp in the text format', format: 'prometheus', text: 'm 1 1.5\n', line: 1, message: 'invalid timestamp for m' },
  { name: 'text after the timestamp', format: 'prometheus', text: 'm 1 2 3\n', line: 1, message: 'unexpected text after the value of m' },
  { name: 'an exemplar in the text format', format: 'prometheus', text: 'm 1 # {a="b"} 1\n', line: 1, message: 'unexpected text after the value of m' },
  { name: 'a metric name starting with a digit', format: 'prometheus', text: '1m 1\n', line: 1, message: 'expected a metric name' },
  { name: 'an unknown TYPE', format: 'prometheus', text: '# TYPE m bogus\n', line: 1, message: 'unknown metric type for m' },
  { name: 'an OpenMetrics-only TYPE in the text format', format: 'prometheus', text: '# TYPE m stateset\n', line: 1, message: 'unknown metric type for m' },
  { name: 'TYPE without a type', format: 'prometheus', text: '# TYPE m\n', line: 1, message: 'expected a type after the metric name' },
  { name: 'HELP without a name', format: 'prometheus', text: '# HELP \n', line: 1, message: 'expected a metric name after # HELP' },
  { name: 'OpenMetrics: no # EOF', format: 'openmetrics', text: 'm 1\n', line: 1, message: 'does not end with "# EOF"' },
  { name: 'OpenMetrics: text after # EOF', format: 'openmetrics', text: 'm 1\n# EOF\nn 2\n', line: 3, message: 'content after "# EOF"' },
  { name: 'OpenMetrics: a blank line', format: 'openmetrics', text: 'm 1\n\n# EOF\n', line: 2, message: 'empty line' },
  { name: 'OpenMetrics: a free comment', format: 'openmetrics', text: '# hello\n# EOF\n', line: 1, message: 'expected "# HELP", "# TYPE", "# UNIT" or "# EOF"' },
  { name: 'OpenMetrics: a malformed exemplar', format: 'openmetrics', text: 'm 1 # trace\n# EOF\n', line: 1, message: 'expected an exemplar' },
  { name: 'OpenMetrics: an exemplar without a value', format: 'openmetrics', text: 'm 1 # {a="b"}\n# EOF\n', line: 1, message: 'expected a value in the exemplar of m' },
  { name: 'OpenMetrics: an infinite timestamp', format: 'openmetrics', text: 'm 1 +Inf\n# EOF\n', line: 1, message: 'invalid timestamp for m' },
  { name: 'a line longer than the limit', format: 'prometheus', text: 'a 1\nmetric_with_a_long_name 1\n', line: 2, message: 'longer than the limit of 10 characters', limits: { maxLineLength: 10 } },
  { name: 'more labels than the limit (name included)', format: 'prometheus', text: 'm{a="1",b="2",c="3"} 1\n', line: 1, message: 'm has more than the limit of 3 labels', limits: { maxLabelsPerSeries: 3 } },
  { name: 'a label value longer than the limit', format: 'prometheus', text: 'm{a="123456"} 1\n', line: 1, message: 'value of label a on m is longer than the limit of 5', limits: { maxLabelValueLength: 5 } },
  { name: 'a label name longer than the limit', format: 'prometheus', text: 'm{abcdef="1"} 1\n', line: 1, message: 'label name on m is longer than the limit of 5', limits: { maxLabelNameLength: 5 } },
  { name: 'more samples than the limit', format: 'prometheus', text: 'a 1\nb 2\nc 3\n', line: 3, message: 'more than 2 samples', limits: { maxSamples: 2 } },
];
