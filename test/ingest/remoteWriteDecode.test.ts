import { describe, expect, it } from 'vitest';
import type { MetricMetadata, TimeSeries } from '../../core/index.js';
import { isStaleNaN, isVigilError, STALE_NAN } from '../../core/index.js';
import { decodeRemoteWrite, Rejections } from '../../ingest/index.js';
import { varint } from './protobufBytes.js';
import type { RwRequest } from './remoteWriteEncoder.js';
import { encodeWriteRequest, rwLabels } from './remoteWriteEncoder.js';

/**
 * The remote-write decoder, table-driven: bodies from the reference encoder (protobufjs over
 * Prometheus' .proto) or hand-made bytes, and exactly what comes out — series, metadata,
 * rejections — or the 400 and the position it names.
 */
const T = 1_700_000_000_000;
const up = (instance: string, value: number, t = T): RwRequest['timeseries'] & object => [
  { labels: rwLabels({ __name__: 'up', job: 'node', instance }), samples: [{ value, timestamp: t }] },
];

interface DecodeCase {
  readonly name: string;
  readonly body: RwRequest | Buffer;
  readonly series: readonly TimeSeries[];
  readonly metadata?: readonly MetricMetadata[];
  /** "reason count" per rejection. */
  readonly rejected?: readonly string[];
  readonly firstMessage?: string;
}

const decodeCases: readonly DecodeCase[] = [
  { name: 'empty request', body: {}, series: [] },
  { name: 'one series, one sample', body: { timeseries: up('a:9100', 1) }, series: [{ labels: { __name__: 'up', job: 'node', instance: 'a:9100' }, samples: [{ t: T, v: 1 }] }] },
  {
    name: 'several samples per series, in order',
    body: { timeseries: [{ labels: rwLabels({ __name__: 'x' }), samples: [1, 2, 3].map((i) => ({ value: i / 4, timestamp: T + i * 15_000 })) }] },
    series: [{ labels: { __name__: 'x' }, samples: [1, 2, 3].map((i) => ({ t: T + i * 15_000, v: i / 4 })) }],
  },
  {
    name: 'special values: ±Inf, -0, tiny and huge doubles',
    body: { timeseries: [{ labels: rwLabels({ __name__: 'x' }), samples: [Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308].map((value, i) => ({ value, timestamp: T + i })) }] },
    series: [{ labels: { __name__: 'x' }, samples: [Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308].map((v, i) => ({ t: T + i, v })) }],
  },
  {
    name: 'negative and pre-epoch timestamps are int64 varints of ten bytes',
    body: { timeseries: [{ labels: rwLabels({ __name__: 'x' }), samples: [{ value: 1, timestamp: -1 }, { value: 2, timestamp: -86_400_000 }, { value: 3, timestamp: 2 ** 53 - 1 }] }] },
    series: [{ labels: { __name__: 'x' }, samples: [{ t: -1, v: 1 }, { t: -86_400_000, v: 2 }, { t: 2 ** 53 - 1, v: 3 }] }],
  },
  {
    name: 'an empty label value means no label, as in Prometheus',
    body: { timeseries: [{ labels: rwLabels({ __name__: 'x', a: '', b: 'y' }), samples: [{ value: 1, timestamp: T }] }] },
    series: [{ labels: { __name__: 'x', b: 'y' }, samples: [{ t: T, v: 1 }] }],
  },
  {
    name: 'UTF-8 label values and a label called __proto__',
    body: { timeseries: [{ labels: [{ name: '__name__', value: 'x' }, { name: '__proto__', value: 'p' }, { name: 'city', value: 'Zürich 東京' }], samples: [{ value: 1, timestamp: T }] }] },
    series: [{ labels: { __name__: 'x', ['__proto__']: 'p', city: 'Zürich 東京' }, samples: [{ t: T, v: 1 }] }],
  },
  {
    name: 'exemplars are skipped',
    body: { timeseries: [{ labels: rwLabels({ __name__: 'x' }), samples: [{ value: 1, timestamp: T }], exemplars: [{ labels: [{ name: 'trace_id', value: 'abc' }], value: 1, timestamp: T }] }] },
    series: [{ labels: { __name__: 'x' }, samples: [{ t: T, v: 1 }] }],
  },
  {
    name: 'a repeated label name refuses the series, naming it',
    body: { timeseries: [{ labels: [{ name: '__name__', value: 'x' }, { name: 'a', value: '1' }, { name: 'a', value: '2' }], samples: [{ value: 1, timestamp: T }, { value: 2, timestamp: T + 1 }] }, ...up('b', 1)] },
    series: [{ labels: { __name__: 'up', job: 'node', instance: 'b' }, samples: [{ t: T, v: 1 }] }],
    rejected: ['invalid_labels 2'],
    firstMessage: 'x{a="2"}: label name "a" repeated',
  },
  {
    name: 'native histograms are refused as unsupported; float samples of the same series stay',
    body: { timeseries: [{ labels: rwLabels({ __name__: 'h' }), histograms: [{ countInt: 3, sum: 1.5, schema: 0, timestamp: T }, { countInt: 4, sum: 2, schema: 0, timestamp: T + 1 }] }, { labels: rwLabels({ __name__: 'x' }), samples: [{ value: 7, timestamp: T }], histograms: [{ countInt: 1, timestamp: T }] }] },
    series: [{ labels: { __name__: 'x' }, samples: [{ t: T, v: 7 }] }],
    rejected: ['unsupported 3'],
    firstMessage: 'h: native histograms are not supported yet (send classic histograms: _bucket/_sum/_count)',
  },
  {
    name: 'metadata is kept by type number; entries without a name or with an unknown type are skipped',
    body: {
      timeseries: up('a', 1),
      metadata: [
        { type: 1, metricFamilyName: 'http_requests_total', help: 'Requests.', unit: '' },
        { type: 3, metricFamilyName: 'rpc_duration_seconds', help: 'RPC latency.', unit: 'seconds' },
        { type: 7, metricFamilyName: 'feature', help: '' },
        { type: 2, metricFamilyName: '', help: 'no name' },
        { type: 99, metricFamilyName: 'odd', help: 'unknown type' },
      ],
    },
    series: [{ labels: { __name__: 'up', job: 'node', instance: 'a' }, samples: [{ t: T, v: 1 }] }],
    metadata: [
      { metricFamilyName: 'http_requests_total', type: 'counter', unit: '', help: 'Requests.' },
      { metricFamilyName: 'rpc_duration_seconds', type: 'histogram', unit: 'seconds', help: 'RPC latency.' },
      { metricFamilyName: 'feature', type: 'stateset', unit: '', help: '' },
    ],
  },
  {
    name: 'unknown fields of every wire type are skipped (a newer sender)',
    // WriteRequest field 9 (varint), 10 (i64), 11 (len), 12 (i32), then a real series.
    body: Buffer.concat([Buffer.from([(9 << 3) | 0, ...varint(300), (10 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8, (11 << 3) | 2, 2, 0xaa, 0xbb, (12 << 3) | 5, 1, 2, 3, 4]), encodeWriteRequest({ timeseries: up('a', 1) })]),
    series: [{ labels: { __name__: 'up', job: 'node', instance: 'a' }, samples: [{ t: T, v: 1 }] }],
  },
];

function rejectionsOf(r: Rejections): string[] {
  return [...r.byReason.values()].map((e) => `${e.reason} ${e.count}`);
}

describe('remote-write decoding', () => {
  it.each(decodeCases)('$name', (c) => {
    const rejections = new Rejections();
    const body = Buffer.isBuffer(c.body) ? c.body : encodeWriteRequest(c.body);
    const decoded = decodeRemoteWrite(body, rejections);
    expect(decoded.series).toEqual(c.series);
    expect(decoded.metadata).toEqual(c.metadata ?? []);
    expect(rejectionsOf(rejections)).toEqual(c.rejected ?? []);
    if (c.firstMessage !== undefined) expect(rejections.messages[0]).toBe(c.firstMessage);
  });

  it('keeps the staleness marker bit for bit (a NaN with payload 2), apart from plain NaN', () => {
    const body = encodeWriteRequest({ timeseries: [{ labels: rwLabels({ __name__: 'x' }), samples: [{ value: STALE_NAN, timestamp: T }, { value: NaN, timestamp: T + 1 }] }] });
    const [series] = decodeRemoteWrite(body, new Rejections()).series;
    const [stale, plain] = series?.samples ?? [];
    expect(isStaleNaN(stale?.v ?? 0)).toBe(true);
    expect(Number.isNaN(plain?.v)).toBe(true);
    expect(isStaleNaN(plain?.v ?? 0)).toBe(false);
  });
});

interface BadCase {
  readonly name: string;
  readonly body: Buffer;
  /** The 400's message. */
  readonly error: string;
}

const good = encodeWriteRequest({ timeseries: [...up('a', 1), ...up('b', 2)] });
const badCases: readonly BadCase[] = [
  { name: 'truncated in the second series', body: good.subarray(0, good.length - 3), error: 'malformed remote-write protobuf at timeseries[1]: length 62 runs past the end of its message (59 bytes left)' },
  { name: 'a length far beyond the body', body: Buffer.from([0x0a, ...varint(0xffffffff), 0x0a]), error: 'malformed remote-write protobuf at timeseries[0]: length 4294967295 runs past the end of its message (1 bytes left)' },
  { name: 'a varint longer than ten bytes', body: Buffer.from([0x08, ...Array<number>(11).fill(0xff), 0x01]), error: 'malformed remote-write protobuf at WriteRequest: varint longer than 10 bytes' },
  { name: 'a tag past 32 bits', body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), error: 'malformed remote-write protobuf at WriteRequest: varint 34359738367 does not fit in 32 bits' },
  { name: 'a group (wire type 3)', body: Buffer.from([(1 << 3) | 3]), error: 'malformed remote-write protobuf at WriteRequest: unsupported wire type 3' },
  {
    name: 'a truncated sample value',
    body: Buffer.from([0x0a, 6, 0x12, 4, 0x09, 1, 2, 3]),
    error: 'malformed remote-write protobuf at timeseries[0].samples[0]: truncated double',
  },
  {
    name: 'a label whose length runs past its series',
    body: Buffer.from([0x0a, 4, 0x0a, 2, 0x0a, 9, 0x41, 0x41]),
    error: 'malformed remote-write protobuf at timeseries[0].labels[0]: length 9 runs past the end of its message (0 bytes left)',
  },
  { name: 'metadata cut short', body: Buffer.from([0x1a, 3, 0x08, 0x01, 0x12]), error: 'malformed remote-write protobuf at metadata[0]: truncated varint' },
];

describe('remote-write decoding refuses what is not a WriteRequest', () => {
  it.each(badCases)('$name', (c) => {
    let thrown: unknown;
    try {
      decodeRemoteWrite(c.body, new Rejections());
    } catch (err) {
      thrown = err;
    }
    expect(isVigilError(thrown) && thrown.code).toBe('bad_data');
    expect((thrown as Error).message).toBe(c.error);
  });
});
