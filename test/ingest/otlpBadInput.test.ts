import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOtlpMetricsProtobuf } from '../../ingest/index.js';
import { otlpTypes } from '../../ingest/otlp/index.js';
import type { Harness } from './harness.js';
import { otlpHarness } from './harness.js';

const T = '1700000000000000000';
const JSON_TYPE = { 'content-type': 'application/json' };
const PROTO_TYPE = { 'content-type': 'application/x-protobuf' };

type Attr = { key: string; value: { stringValue: string } };

function gaugeRequest(points: { timeUnixNano: string; asDouble?: number; attributes?: Attr[] }[]): Record<string, unknown> {
  return { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: points } }] }] }] };
}

function attrs(n: number, valueLength = 1): Attr[] {
  return Array.from({ length: n }, (_, i) => ({ key: `a${i}`, value: { stringValue: 'x'.repeat(valueLength) } }));
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

interface BadCase {
  name: string;
  url?: string;
  headers: Record<string, string>;
  payload: Buffer;
  status: number;
  message: string;
}

/** Every bad input gets its status and a message that names the problem. */
const badCases: BadCase[] = [
  { name: 'malformed JSON', headers: JSON_TYPE, payload: Buffer.from('{"resourceMetrics": ['), status: 400, message: 'malformed JSON body' },
  { name: 'malformed protobuf', headers: PROTO_TYPE, payload: Buffer.from([0x0a, 0x05, 0x01]), status: 400, message: 'malformed protobuf ExportMetricsServiceRequest' },
  { name: 'wrong content type', headers: { 'content-type': 'text/plain' }, payload: Buffer.from('up 1'), status: 415, message: 'unsupported content type "text/plain"' },
  { name: 'missing content type', headers: {}, payload: Buffer.from('up 1'), status: 415, message: 'missing Content-Type' },
  { name: 'JSON that is not an object', headers: JSON_TYPE, payload: Buffer.from('null'), status: 400, message: '(root): expected an ExportMetricsServiceRequest object, got null' },
  { name: 'unknown content encoding', headers: { ...JSON_TYPE, 'content-encoding': 'br' }, payload: json({}), status: 415, message: 'unsupported content encoding "br"' },
  { name: 'body over the limit', headers: JSON_TYPE, payload: json({ pad: 'x'.repeat(9000) }), status: 413, message: 'larger than the limit of 8192 bytes' },
  {
    name: 'gzip body over the limit once inflated',
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    payload: gzipSync(json({ pad: 'x'.repeat(100_000) })),
    status: 413,
    message: 'larger than the limit of 8192 bytes after gzip decompression',
  },
  { name: 'corrupt gzip', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, payload: Buffer.from('not gzip at all'), status: 400, message: 'malformed gzip body' },
  { name: 'wrong structure', headers: JSON_TYPE, payload: json({ resourceMetrics: {} }), status: 400, message: 'resourceMetrics: expected an array, got an object' },
  {
    name: 'timestamp that is not a number',
    headers: JSON_TYPE,
    payload: json(gaugeRequest([{ timeUnixNano: '17e17', asDouble: 1 }])),
    status: 400,
    message: 'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].timeUnixNano: expected nanoseconds as a decimal string, got "17e17"',
  },
  { name: 'timestamps far in the past', headers: JSON_TYPE, payload: json(gaugeRequest([{ timeUnixNano: '1000', asDouble: 1 }])), status: 400, message: 'older than the accepted age' },
  {
    name: 'timestamps far in the future',
    headers: PROTO_TYPE,
    payload: Buffer.from(encodeOtlpMetricsProtobuf(gaugeRequest([{ timeUnixNano: '4000000000000000000', asDouble: 1 }]))),
    status: 400,
    message: 'ms in the future',
  },
  {
    name: 'too many labels',
    headers: JSON_TYPE,
    payload: json(gaugeRequest([{ timeUnixNano: T, asDouble: 1, attributes: attrs(41) }])),
    status: 400,
    message: 'series g has 42 labels, more than the limit of 40',
  },
  {
    name: 'label value too long',
    headers: JSON_TYPE,
    payload: json(gaugeRequest([{ timeUnixNano: T, asDouble: 1, attributes: attrs(1, 4100) }])),
    status: 400,
    message: 'value of label a0 on g is longer than 4096',
  },
  { name: 'bad tenant header', headers: { ...JSON_TYPE, 'x-scope-orgid': 'a/b' }, payload: json({}), status: 400, message: 'invalid X-Scope-OrgID "a/b"' },
  {
    name: 'trace id of the wrong length',
    url: '/v1/logs',
    headers: JSON_TYPE,
    payload: json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: T, traceId: 'abcd' }] }] }] }),
    status: 400,
    message: 'resourceLogs[0].scopeLogs[0].logRecords[0].traceId: expected 32 hex characters, got "abcd"',
  },
  {
    name: 'severity number out of range',
    url: '/v1/logs',
    headers: JSON_TYPE,
    payload: json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: T, severityNumber: 99 }] }] }] }),
    status: 400,
    message: 'severityNumber: expected a severity number from 0 to 24',
  },
  {
    name: 'log line over the limit',
    url: '/v1/logs',
    headers: JSON_TYPE,
    payload: json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: T, body: { stringValue: 'é'.repeat(60) } }] }] }] }),
    status: 400,
    message: 'line of 120 bytes is longer than the limit of 100',
  },
];

let h: Harness;
beforeAll(async () => {
  h = await otlpHarness({ maxRequestBytes: 8192, maxLogLineBytes: 100 });
});
afterAll(async () => {
  await h.app.close();
});

describe('OTLP/HTTP bad input', () => {
  it.each(badCases)('$name → $status', async (c) => {
    h.producer.sent.length = 0;
    const res = await h.app.inject({ method: 'POST', url: c.url ?? '/v1/metrics', headers: c.headers, payload: c.payload });
    expect(res.statusCode, res.body).toBe(c.status);
    const status = c.headers['content-type'] === 'application/x-protobuf' ? otlpTypes.status.toObject(otlpTypes.status.decode(res.rawPayload)) : (JSON.parse(res.body) as unknown);
    expect(status).toMatchObject({ code: c.status === 413 ? 8 : 3 });
    expect((status as { message: string }).message).toContain(c.message);
    expect(h.producer.sent).toEqual([]);
  });

  it('answers a protobuf request with a protobuf google.rpc.Status', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: PROTO_TYPE, payload: Buffer.from([0xff, 0xff]) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    const status = otlpTypes.status.decode(res.rawPayload) as unknown as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^malformed protobuf ExportMetricsServiceRequest: /);
  });
});

describe('OTLP/HTTP success, partial success, tenants and backpressure', () => {
  it('reports partial success in protobuf with the rejected count and the reason', async () => {
    h.producer.sent.length = 0;
    const body = encodeOtlpMetricsProtobuf(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }, { timeUnixNano: '5', asDouble: 2 }]));
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: PROTO_TYPE, payload: Buffer.from(body) });
    expect(res.statusCode).toBe(200);
    const answer = otlpTypes.metricsResponse.toObject(otlpTypes.metricsResponse.decode(res.rawPayload), { longs: Number }) as {
      partialSuccess: { rejectedDataPoints: number; errorMessage: string };
    };
    expect(answer.partialSuccess.rejectedDataPoints).toBe(1);
    expect(answer.partialSuccess.errorMessage).toContain('g: timestamp 1970-01-01T00:00:00.000Z is older than');
    expect(h.producer.payloads('metrics').flatMap((p) => p.series.map((s) => s.samples))).toEqual([[{ t: 1_700_000_000_000, v: 1 }]]);
  });

  it('answers full success with an empty ExportLogsServiceResponse', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/logs',
      headers: JSON_TYPE,
      payload: json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: T, body: { stringValue: 'hi' } }] }] }] }),
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({});
  });

  it('accepts an empty request (nothing to store is not an error)', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: PROTO_TYPE, payload: Buffer.alloc(0) });
    expect(res.statusCode).toBe(200);
  });

  it('publishes under the X-Scope-OrgID tenant, keyed by tenant', async () => {
    h.producer.sent.length = 0;
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { ...JSON_TYPE, 'x-scope-orgid': 'team-a' },
      payload: json(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }])),
    });
    expect(res.statusCode).toBe(200);
    expect(h.producer.sent.map((s) => [s.topic, s.key, s.payload.tenant])).toEqual([['vigil.metrics', 'team-a', 'team-a']]);
  });

  it('turns bus backpressure into 429 with Retry-After, and accepts again once it clears', async () => {
    const payload = json(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }]));
    h.producer.backpressure(1500);
    try {
      const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('2');
      expect(JSON.parse(res.body)).toEqual({ code: 8, message: 'topic vigil.metrics is 1500 ms behind' });
    } finally {
      h.producer.backpressure(undefined);
    }
    const again = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload });
    expect(again.statusCode).toBe(200);
  });

  it('counts received, accepted and rejected samples by reason', async () => {
    const text = await h.registry.getSingleMetricAsString('vigil_ingest_rejected_total');
    expect(text).toMatch(/vigil_ingest_rejected_total\{kind="samples",reason="too_many_labels"\} 1/);
    expect(text).toMatch(/vigil_ingest_rejected_total\{kind="logs",reason="line_too_long"\} 1/);
    expect(await h.registry.getSingleMetricAsString('vigil_ingest_accepted_total')).toMatch(/kind="samples"\} [1-9]/);
  });
});
