import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricMetadata, TimeSeries } from '../../core/index.js';
import { isStaleNaN, isVigilError, STALE_NAN } from '../../core/index.js';
import { decodeRemoteWriteV2, Rejections } from '../../ingest/index.js';
import { varint } from './protobufBytes.js';
import type { V2Series } from './remoteWriteEncoder.js';
import { encodeV2Request, PROMETHEUS_HEADERS, remoteWriteBody, rwLabels, snappy, V2_HEADERS } from './remoteWriteEncoder.js';
import type { RemoteWriteHarness } from './remoteWriteHarness.js';
import { remoteWriteHarness } from './remoteWriteHarness.js';

/**
 * Remote write 2.0 (io.prometheus.write.v2.Request): bodies from the reference encoder
 * (protobufjs over the 2.0 .proto) decode to the same series and metadata 1.0 would carry,
 * malformed symbol references are 400s naming the series, and the receiver answers with the
 * 2.0 "written" headers. No Prometheus here sends 2.0 (2.42 predates it), so these tests use
 * the reference encoder only.
 */
const T = 1_700_000_000_000;

interface V2Case {
  readonly name: string;
  readonly series: readonly V2Series[];
  readonly decoded: readonly TimeSeries[];
  readonly metadata?: readonly MetricMetadata[];
  readonly rejected?: readonly string[];
}

const cases: readonly V2Case[] = [
  { name: 'no series', series: [], decoded: [] },
  {
    name: 'labels through the symbol table, shared between series',
    series: [
      { labels: { __name__: 'up', job: 'node', instance: 'a' }, samples: [{ value: 1, timestamp: T }] },
      { labels: { __name__: 'up', job: 'node', instance: 'b' }, samples: [{ value: 0, timestamp: T }, { value: 1, timestamp: T + 15_000 }] },
    ],
    decoded: [
      { labels: { __name__: 'up', instance: 'a', job: 'node' }, samples: [{ t: T, v: 1 }] },
      { labels: { __name__: 'up', instance: 'b', job: 'node' }, samples: [{ t: T, v: 0 }, { t: T + 15_000, v: 1 }] },
    ],
  },
  {
    name: 'metadata per series, kept once per metric name',
    series: [
      { labels: { __name__: 'http_requests_total', code: '200' }, samples: [{ value: 5, timestamp: T }], metadata: { type: 1, help: 'Requests.', unit: '' } },
      { labels: { __name__: 'http_requests_total', code: '500' }, samples: [{ value: 1, timestamp: T }], metadata: { type: 1, help: 'Requests.', unit: '' } },
      { labels: { __name__: 'temp_celsius' }, samples: [{ value: 21.5, timestamp: T }], metadata: { type: 2, help: '', unit: 'celsius' } },
      { labels: { __name__: 'no_metadata' }, samples: [{ value: 1, timestamp: T }], metadata: { type: 0 } },
    ],
    decoded: [
      { labels: { __name__: 'http_requests_total', code: '200' }, samples: [{ t: T, v: 5 }] },
      { labels: { __name__: 'http_requests_total', code: '500' }, samples: [{ t: T, v: 1 }] },
      { labels: { __name__: 'temp_celsius' }, samples: [{ t: T, v: 21.5 }] },
      { labels: { __name__: 'no_metadata' }, samples: [{ t: T, v: 1 }] },
    ],
    metadata: [
      { metricFamilyName: 'http_requests_total', type: 'counter', unit: '', help: 'Requests.' },
      { metricFamilyName: 'temp_celsius', type: 'gauge', unit: 'celsius', help: '' },
    ],
  },
  {
    name: 'native histograms refused as unsupported, float samples kept',
    series: [
      { labels: { __name__: 'h' }, histograms: [{ countInt: 1, sum: 1, timestamp: T }] },
      { labels: { __name__: 'x' }, samples: [{ value: 1, timestamp: T }] },
    ],
    decoded: [{ labels: { __name__: 'x' }, samples: [{ t: T, v: 1 }] }],
    rejected: ['unsupported 1'],
  },
];

describe('remote write 2.0 decoding', () => {
  it.each(cases)('$name', (c) => {
    const rejections = new Rejections();
    const decoded = decodeRemoteWriteV2(encodeV2Request(c.series), rejections);
    expect(decoded.series).toEqual(c.decoded);
    expect(decoded.metadata).toEqual(c.metadata ?? []);
    expect([...rejections.byReason.values()].map((e) => `${e.reason} ${e.count}`)).toEqual(c.rejected ?? []);
  });

  it('keeps the staleness marker', () => {
    const decoded = decodeRemoteWriteV2(encodeV2Request([{ labels: { __name__: 'x' }, samples: [{ value: STALE_NAN, timestamp: T }] }]), new Rejections());
    expect(isStaleNaN(decoded.series[0]?.samples[0]?.v ?? 0)).toBe(true);
  });

  const bad: readonly [string, Buffer, string][] = [
    ['a label reference past the symbol table', Buffer.from([0x22, 0, 0x2a, 4, 0x0a, 2, 0, 7]), 'malformed remote-write 2.0 protobuf at timeseries[0].labels_refs: symbol reference 7 is past the symbol table (1 symbols)'],
    ['an odd number of label references', Buffer.from([0x22, 0, 0x2a, 3, 0x0a, 1, 0]), 'malformed remote-write 2.0 protobuf at timeseries[0].labels_refs: 1 label references: they come in name, value pairs'],
    ['a symbol table not starting with ""', Buffer.from([0x22, 1, 0x61]), 'malformed remote-write 2.0 protobuf at Request: symbols[0] must be the empty string, got "a"'],
    ['a truncated sample', Buffer.from([0x22, 0, 0x2a, 4, 0x12, 2, 0x09, 1]), 'malformed remote-write 2.0 protobuf at timeseries[0].samples[0]: truncated double'],
    ['a symbol length past the body', Buffer.from([0x22, ...varint(1000), 0x61]), 'malformed remote-write 2.0 protobuf at Request: length 1000 runs past the end of its message (1 bytes left)'],
  ];
  it.each(bad)('refuses %s', (_name, body, message) => {
    let thrown: unknown;
    try {
      decodeRemoteWriteV2(body, new Rejections());
    } catch (err) {
      thrown = err;
    }
    expect(isVigilError(thrown) && thrown.code).toBe('bad_data');
    expect((thrown as Error).message).toBe(message);
  });
});

describe('remote write 2.0 over HTTP', () => {
  let h: RemoteWriteHarness;
  beforeAll(async () => {
    h = await remoteWriteHarness();
  });
  afterAll(async () => h.app.close());

  const series: V2Series[] = [
    { labels: { __name__: 'node_load1', job: 'node', instance: 'a:9100' }, samples: [{ value: 0.5, timestamp: T }], metadata: { type: 2, help: '1m load average.' } },
    { labels: { __name__: 'up', job: 'node', instance: 'a:9100' }, samples: [{ value: 1, timestamp: T }, { value: 1, timestamp: T + 15_000 }] },
  ];

  it('stores exactly what the same data sent as 1.0 stores, and answers 204 with the written headers', async () => {
    h.producer.sent.length = 0;
    const v2 = await h.app.inject({ method: 'POST', url: '/api/v1/write', headers: V2_HEADERS, payload: snappy(encodeV2Request(series)) });
    expect(v2.statusCode, v2.body).toBe(204);
    expect(v2.headers['x-prometheus-remote-write-samples-written']).toBe('3');
    expect(v2.headers['x-prometheus-remote-write-histograms-written']).toBe('0');
    expect(v2.headers['x-prometheus-remote-write-exemplars-written']).toBe('0');
    expect(v2.headers['x-prometheus-remote-write-version']).toBe('2.0.0');
    const viaV2 = h.producer.sent.map((s) => s.payload);

    h.producer.sent.length = 0;
    const v1Body = remoteWriteBody({
      timeseries: series.map((s) => ({ labels: rwLabels(s.labels), samples: s.samples ?? [] })),
      metadata: [{ type: 2, metricFamilyName: 'node_load1', help: '1m load average.', unit: '' }],
    });
    const v1 = await h.app.inject({ method: 'POST', url: '/api/v1/write', headers: PROMETHEUS_HEADERS, payload: v1Body });
    expect(v1.statusCode).toBe(204);
    expect(viaV2).toEqual(h.producer.sent.map((s) => s.payload));
  });

  it('answers a partly refused request 400 with how many samples were written', async () => {
    const body = snappy(encodeV2Request([...series, { labels: { __name__: 'old' }, samples: [{ value: 1, timestamp: 1000 }] }]));
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/write', headers: V2_HEADERS, payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-prometheus-remote-write-samples-written']).toBe('3');
    expect(res.body).toContain('3 samples stored, 1 rejected: old: timestamp 1970-01-01T00:00:01.000Z is older than');
  });
});
