import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, isStaleNaN, STALE_NAN } from '../../core/index.js';
import { DecodePool } from '../../ingest/index.js';
import { varint } from './protobufBytes.js';
import type { RwRequest } from './remoteWriteEncoder.js';
import { encodeWriteRequest, PROMETHEUS_HEADERS, remoteWriteBody, rwLabels, snappy } from './remoteWriteEncoder.js';
import type { RemoteWriteHarness } from './remoteWriteHarness.js';
import { remoteWriteHarness } from './remoteWriteHarness.js';

/**
 * POST /api/v1/write as Prometheus sees it: the status decides whether it retries (5xx, 429),
 * drops (other 4xx) or moves on (2xx), so each case pins the status, the text naming what was
 * wrong, and what reached the bus.
 */
const T = 1_700_000_000_000;
const request: RwRequest = {
  timeseries: [
    { labels: rwLabels({ __name__: 'node_load1', job: 'node', instance: 'a:9100' }), samples: [{ value: 0.5, timestamp: T }, { value: 0.75, timestamp: T + 15_000 }] },
    { labels: rwLabels({ __name__: 'up', job: 'node', instance: 'a:9100' }), samples: [{ value: 1, timestamp: T }] },
  ],
  metadata: [{ type: 2, metricFamilyName: 'node_load1', help: '1m load average.', unit: '' }],
};
const LIMIT_BYTES = 64 * 1024;

interface HttpCase {
  readonly name: string;
  readonly headers?: Record<string, string | undefined>;
  readonly payload?: Buffer;
  readonly status: number;
  /** Part of the plain-text answer. */
  readonly message: string;
}

const without = (name: string): Record<string, string | undefined> => ({ ...PROMETHEUS_HEADERS, [name]: undefined });

const refusedCases: readonly HttpCase[] = [
  { name: 'no Content-Encoding', headers: without('content-encoding'), status: 415, message: 'no Content-Encoding: remote write bodies are snappy-compressed' },
  { name: 'gzip instead of snappy', headers: { ...PROMETHEUS_HEADERS, 'content-encoding': 'gzip' }, status: 415, message: 'Content-Encoding "gzip"' },
  { name: 'JSON content type', headers: { ...PROMETHEUS_HEADERS, 'content-type': 'application/json' }, status: 415, message: 'Content-Type "application/json": remote write sends application/x-protobuf' },
  { name: 'no Content-Type', headers: without('content-type'), status: 415, message: 'no Content-Type' },
  { name: 'an unknown protobuf message', headers: { ...PROMETHEUS_HEADERS, 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v3.Request' }, status: 415, message: 'unsupported protobuf message "io.prometheus.write.v3.request"' },
  { name: 'version 3.0.0', headers: { ...PROMETHEUS_HEADERS, 'x-prometheus-remote-write-version': '3.0.0' }, status: 415, message: 'remote write version "3.0.0" is not supported' },
  { name: 'a version header that is no version', headers: { ...PROMETHEUS_HEADERS, 'x-prometheus-remote-write-version': 'latest' }, status: 400, message: 'X-Prometheus-Remote-Write-Version "latest" is not a version number' },
  { name: 'a body that is not snappy', payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]), status: 400, message: 'malformed snappy body' },
  { name: 'snappy declaring more than the limit', payload: Buffer.from([...varint(LIMIT_BYTES + 1), 0x00, 0x41]), status: 413, message: `larger than the limit of ${LIMIT_BYTES} bytes after snappy decompression` },
  { name: 'a body over the limit as sent', payload: Buffer.alloc(LIMIT_BYTES + 1), status: 413, message: `larger than the limit of ${LIMIT_BYTES} bytes` },
  { name: 'snappy around bytes that are not protobuf', payload: snappy(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), status: 400, message: 'malformed remote-write protobuf at timeseries[0]: length 4294967295 runs past the end' },
  {
    name: 'every sample too old',
    payload: remoteWriteBody({ timeseries: [{ labels: rwLabels({ __name__: 'x' }), samples: [{ value: 1, timestamp: 5 }] }] }),
    status: 400,
    message: 'all 1 records rejected: x: timestamp 1970-01-01T00:00:00.005Z is older than',
  },
  {
    name: 'every series without a metric name',
    payload: remoteWriteBody({ timeseries: [{ labels: rwLabels({ job: 'x' }), samples: [{ value: 1, timestamp: T }] }] }),
    status: 400,
    message: 'series has no metric name',
  },
];

describe('remote write: requests refused whole', () => {
  let h: RemoteWriteHarness;
  beforeAll(async () => {
    h = await remoteWriteHarness({ maxRequestBytes: LIMIT_BYTES });
  });
  afterAll(async () => h.app.close());

  it.each(refusedCases)('$name → $status', async (c) => {
    h.producer.sent.length = 0;
    const headers = Object.fromEntries(Object.entries(c.headers ?? PROMETHEUS_HEADERS).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/write', headers, payload: c.payload ?? remoteWriteBody(request) });
    expect(res.statusCode, res.body).toBe(c.status);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-prometheus-remote-write-version']).toBe('0.1.0');
    expect(res.body).toContain(c.message);
    expect(h.producer.sent).toEqual([]);
  });
});

describe('remote write: accepted requests', () => {
  let h: RemoteWriteHarness;
  beforeAll(async () => {
    h = await remoteWriteHarness();
  });
  afterAll(async () => h.app.close());
  const post = async (body: Buffer, headers: Record<string, string> = PROMETHEUS_HEADERS) => h.app.inject({ method: 'POST', url: '/api/v1/write', headers, payload: body });

  it('answers 204 once every sample is on the bus, with the metadata, under the default tenant', async () => {
    h.producer.sent.length = 0;
    const res = await post(remoteWriteBody(request));
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect(h.producer.payloads('metrics')).toEqual([
      {
        kind: 'metrics',
        tenant: 'default',
        series: [
          { labels: { __name__: 'node_load1', instance: 'a:9100', job: 'node' }, samples: [{ t: T, v: 0.5 }, { t: T + 15_000, v: 0.75 }] },
          { labels: { __name__: 'up', instance: 'a:9100', job: 'node' }, samples: [{ t: T, v: 1 }] },
        ],
        metadata: [{ metricFamilyName: 'node_load1', type: 'gauge', unit: '', help: '1m load average.' }],
      },
    ]);
  });

  it('accepts clients that send no version header, and proto=prometheus.WriteRequest', async () => {
    const res = await post(remoteWriteBody(request), { 'content-type': 'application/x-protobuf; proto=prometheus.WriteRequest', 'content-encoding': 'snappy' });
    expect(res.statusCode, res.body).toBe(204);
  });

  it('stores a metadata-only request (Prometheus sends metadata on its own)', async () => {
    h.producer.sent.length = 0;
    const res = await post(remoteWriteBody({ metadata: [{ type: 1, metricFamilyName: 'http_requests_total', help: 'Requests.' }] }));
    expect(res.statusCode, res.body).toBe(204);
    expect(h.producer.payloads('metrics')).toEqual([{ kind: 'metrics', tenant: 'default', series: [], metadata: [{ metricFamilyName: 'http_requests_total', type: 'counter', unit: '', help: 'Requests.' }] }]);
  });

  it('carries the staleness marker to the bus', async () => {
    h.producer.sent.length = 0;
    const res = await post(remoteWriteBody({ timeseries: [{ labels: rwLabels({ __name__: 'up', job: 'gone' }), samples: [{ value: 1, timestamp: T }, { value: STALE_NAN, timestamp: T + 15_000 }] }] }));
    expect(res.statusCode).toBe(204);
    const samples = h.producer.payloads('metrics')[0]?.series[0]?.samples ?? [];
    expect(samples.map((s) => s.t)).toEqual([T, T + 15_000]);
    expect(isStaleNaN(samples[1]?.v ?? 0)).toBe(true);
  });

  it('stores the valid part of a request and answers 400 naming what was refused, so Prometheus does not resend it', async () => {
    h.producer.sent.length = 0;
    const body = remoteWriteBody({
      timeseries: [
        { labels: rwLabels({ __name__: 'ok' }), samples: [{ value: 1, timestamp: T }] },
        { labels: rwLabels({ __name__: 'old' }), samples: [{ value: 2, timestamp: 1000 }] },
        { labels: rwLabels({ __name__: 'h' }), histograms: [{ countInt: 1, timestamp: T }] },
      ],
    });
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/^1 samples stored, 2 rejected: h: native histograms are not supported yet .*\(1 samples rejected: unsupported\); old: timestamp 1970-01-01T00:00:01.000Z is older than .*\(1 samples rejected: too_old\)\n$/);
    expect(h.producer.payloads('metrics').flatMap((p) => p.series.map((s) => s.labels.__name__))).toEqual(['ok']);
  });

  it('writes under the X-Scope-OrgID tenant', async () => {
    h.producer.sent.length = 0;
    const res = await post(remoteWriteBody(request), { ...PROMETHEUS_HEADERS, 'x-scope-orgid': 'team-a' });
    expect(res.statusCode).toBe(204);
    expect(h.producer.sent.map((s) => [s.key, s.payload.tenant])).toEqual([['team-a', 'team-a']]);
  });

  it('turns bus backpressure into 429 with Retry-After (Prometheus retries), and accepts again once it clears', async () => {
    h.producer.backpressure(2500);
    const refused = await post(remoteWriteBody(request));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('3');
    h.producer.backpressure(undefined);
    expect((await post(remoteWriteBody(request))).statusCode).toBe(204);
  });

  it('counts its requests by status and its bytes', async () => {
    const text = await h.registry.metrics();
    expect(text).toMatch(/vigil_ingest_requests_total\{receiver="prometheus_remote_write",code="204"\} [1-9]/);
    expect(text).toMatch(/vigil_ingest_requests_total\{receiver="prometheus_remote_write",code="429"\} 1/);
    expect(text).toMatch(/vigil_ingest_requests_total\{receiver="prometheus_remote_write",code="400"\} 1/);
    expect(text).toMatch(/vigil_ingest_request_bytes_total\{receiver="prometheus_remote_write"\} [1-9]/);
  });
});

describe('remote write through the decode workers', () => {
  let pool: DecodePool;
  let worker: RemoteWriteHarness;
  let inProcess: RemoteWriteHarness;
  beforeAll(async () => {
    pool = new DecodePool({ workers: 1, registry: new Registry(), logger: createLogger('silent') });
    pool.start();
    worker = await remoteWriteHarness({}, pool);
    inProcess = await remoteWriteHarness();
  });
  afterAll(async () => {
    await worker.app.close();
    await inProcess.app.close();
    await pool.shutdown();
  });

  const bodies: readonly [string, Buffer][] = [
    ['a valid request', remoteWriteBody(request)],
    ['a partly valid request', remoteWriteBody({ timeseries: [...(request.timeseries ?? []), { labels: rwLabels({ __name__: 'x' }), samples: [{ value: 1, timestamp: 1 }] }] })],
    ['a malformed body', snappy(encodeWriteRequest(request).subarray(0, 30))],
    ['not snappy', Buffer.from('hello')],
  ];
  it.each(bodies)('%s: the same answer and records as in-process decoding', async (_name, body) => {
    worker.producer.sent.length = 0;
    inProcess.producer.sent.length = 0;
    const a = await worker.app.inject({ method: 'POST', url: '/api/v1/write', headers: PROMETHEUS_HEADERS, payload: body });
    const b = await inProcess.app.inject({ method: 'POST', url: '/api/v1/write', headers: PROMETHEUS_HEADERS, payload: body });
    expect([a.statusCode, a.body]).toEqual([b.statusCode, b.body]);
    expect(worker.producer.sent).toEqual(inProcess.producer.sent);
  });
});
