import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import protobuf from 'protobufjs';
import { Registry } from 'prom-client';
import snappy from 'snappyjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../../core/index.js';
import type { LogRecord } from '../../../core/index.js';
import { createPushPipeline, lokiPushReceiver } from '../../../ingest/index.js';
import { RecordingProducer } from '../recordingProducer.js';

/**
 * POST /loki/api/v1/push over a real socket with bodies encoded independently of the receiver:
 * JSON by hand, protobuf by protobufjs from Loki's own push.proto text, snappy by snappyjs' encoder.
 * What is sent must be what the pipeline publishes, and errors must be Loki's.
 */
const NOW_MS = Date.now();
const producer = new RecordingProducer();
const registry = new Registry();
let app: FastifyInstance;
let base: string;

const root = protobuf.loadSync(join(import.meta.dirname, 'data', 'push.proto'));
root.resolveAll();
const PushRequest = root.lookupType('logproto.PushRequest');

beforeAll(async () => {
  const limits = limitsSchema.parse({});
  const pipeline = createPushPipeline({ producer, limits, registry, logger: createLogger('silent') });
  app = Fastify({ logger: false });
  await app.register(lokiPushReceiver, { pipeline, limits, defaultTenant: 'default', registry });
  base = `${await app.listen({ host: '127.0.0.1', port: 0 })}/loki/api/v1/push`;
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  producer.sent.length = 0;
  producer.backpressure(undefined);
});

const t0 = BigInt(NOW_MS - 5_000) * 1_000_000n + 123_456n;
/** What every encoding below carries, and what must come out. */
const streams: { labels: Record<string, string>; entries: { timeNs: bigint; line: string; metadata: Record<string, string> }[] }[] = [
  {
    labels: { job: 'varlogs', filename: '/var/log/syslog' },
    entries: [
      { timeNs: t0, line: 'first line', metadata: {} },
      { timeNs: t0 + 1n, line: 'second "quoted" line \u00fc\n', metadata: { trace_id: '0242ac120002', user: 'alice' } },
    ],
  },
  { labels: { job: 'app', level: 'error', path: 'C:\\logs "x"' }, entries: [{ timeNs: t0 + 2n, line: '', metadata: {} }] },
];

function expectedRecords(): Partial<LogRecord>[] {
  return streams.flatMap((s) => s.entries.map((e) => ({ timeNs: e.timeNs, body: e.line, stream: s.labels, attributes: e.metadata, severityNumber: 0 })));
}

function jsonBody(): string {
  return JSON.stringify({
    streams: streams.map((s) => ({
      stream: s.labels,
      values: s.entries.map((e) => (Object.keys(e.metadata).length > 0 ? [String(e.timeNs), e.line, e.metadata] : [String(e.timeNs), e.line])),
    })),
  });
}

/** Labels as promtail writes them: Go-quoted PromQL selector text. */
function selector(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}

function protobufBody(): Buffer {
  const message = PushRequest.fromObject({
    streams: streams.map((s) => ({
      labels: selector(s.labels),
      entries: s.entries.map((e) => ({
        timestamp: { seconds: Number(e.timeNs / 1_000_000_000n), nanos: Number(e.timeNs % 1_000_000_000n) },
        line: e.line,
        structuredMetadata: Object.entries(e.metadata).map(([name, value]) => ({ name, value })),
      })),
    })),
  });
  return Buffer.from(snappy.compress(PushRequest.encode(message).finish()));
}

function published(): Partial<LogRecord>[] {
  return producer.payloads('logs').flatMap((p) => p.logs.map((l) => ({ timeNs: l.timeNs, body: l.body, stream: l.stream, attributes: l.attributes, severityNumber: l.severityNumber })));
}

describe('Loki push', () => {
  it.each([
    ['JSON', () => ({ body: jsonBody(), headers: { 'content-type': 'application/json' } })],
    ['gzip JSON', () => ({ body: gzipSync(jsonBody()), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })],
    ['snappy protobuf', () => ({ body: protobufBody(), headers: { 'content-type': 'application/x-protobuf' } })],
    ['snappy protobuf without a Content-Type (Loki defaults to it)', () => ({ body: protobufBody(), headers: {} })],
  ])('%s: 204, and exactly what was sent is published', async (_name, make) => {
    const { body, headers } = make();
    const res = await fetch(base, { method: 'POST', body, headers: { ...headers, 'x-scope-orgid': 'team-a' } });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(published()).toEqual(expectedRecords());
    expect(new Set(producer.sent.map((s) => s.key))).toEqual(new Set(['team-a']));
  });

  const bad: [string, string | Buffer, Record<string, string>, number, RegExp][] = [
    ['a stream without labels (JSON)', '{"streams":[{"stream":{"a":"b"},"values":[]},{"stream":{},"values":[["1","x"]]}]}', { 'content-type': 'application/json' }, 400, /streams\[1\]\.stream: at least one label pair is required per stream/],
    ['a timestamp that is a number', '{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}', { 'content-type': 'application/json' }, 400, /streams\[0\]\.values\[0\]\[0\]: expected a string of nanoseconds since the epoch, got number 1/],
    ['a line that is not a string', '{"streams":[{"stream":{"a":"b"},"values":[["1",{}]]}]}', { 'content-type': 'application/json' }, 400, /streams\[0\]\.values\[0\]\[1\]: expected the log line as a string/],
    ['a label value that is not a string', '{"streams":[{"stream":{"a":1},"values":[]}]}', { 'content-type': 'application/json' }, 400, /streams\[0\]\.stream\.a: expected a string, got number 1/],
    ['no streams', '{"stream":[]}', { 'content-type': 'application/json' }, 400, /\(root\): expected an object with a "streams" array/],
    ['invalid JSON', '{"streams":', { 'content-type': 'application/json' }, 400, /body/],
    ['a protobuf body that is not snappy', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), { 'content-type': 'application/x-protobuf' }, 400, /malformed snappy body/],
    ['bad selector text', Buffer.from(snappy.compress(PushRequest.encode(PushRequest.fromObject({ streams: [{ labels: '{job=varlogs}' }] })).finish())), {}, 400, /streams\[0\]: error parsing labels "\{job=varlogs\}": expected a quoted label value/],
    ['an unknown content type', 'x', { 'content-type': 'text/plain' }, 415, /unsupported content type "text\/plain"/],
    ['gzip that is not', 'not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 400, /malformed gzip body/],
  ];

  it.each(bad)('refuses %s with %#: Loki status and a message naming it', async (_name, body, headers, status, message) => {
    const res = await fetch(base, { method: 'POST', body, headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(message);
    expect(published()).toEqual([]);
  });

  it('stores the valid entries of a push with an invalid one and answers 400 naming the bad stream', async () => {
    const old = String(BigInt(NOW_MS - 400 * 86_400_000) * 1_000_000n);
    const body = JSON.stringify({ streams: [{ stream: { job: 'ok' }, values: [[String(t0), 'kept']] }, { stream: { job: 'late' }, values: [[old, 'too old']] }] });
    const res = await fetch(base, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/job="late"/);
    expect(published().map((r) => r.body)).toEqual(['kept']);
  });

  it('answers 429 with Retry-After when the bus pushes back, so clients retry', async () => {
    producer.backpressure(3_000);
    const res = await fetch(base, { method: 'POST', body: jsonBody(), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('answers 413 for a snappy body that claims to inflate past the limit', async () => {
    // A snappy block starts with the uncompressed length as a varint: claim 1 GiB.
    const res = await fetch(base, { method: 'POST', body: Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00]), headers: { 'content-type': 'application/x-protobuf' } });
    expect(res.status).toBe(413);
  });

  it('counts requests per status code', async () => {
    const text = await registry.getSingleMetricAsString('vigil_receiver_requests_total');
    expect(text).toMatch(/vigil_receiver_requests_total\{receiver="loki",code="204"\} [1-9]/);
    expect(text).toMatch(/vigil_receiver_requests_total\{receiver="loki",code="400"\} [1-9]/);
  });
});
