import { gzipSync } from 'node:zlib';
import { encodeOtlpMetricsProtobuf } from '../../ingest/index.js';

/**
 * Bad OTLP/HTTP requests and what the receiver must answer: shared by the bad-input test and the
 * decode-pool test (which checks that worker decoding answers them identically).
 */
export const BAD_INPUT_LIMITS = { maxRequestBytes: 8192, maxLogLineBytes: 100 };

export const T = '1700000000000000000';
export const JSON_TYPE = { 'content-type': 'application/json' };
export const PROTO_TYPE = { 'content-type': 'application/x-protobuf' };

export type Attr = { key: string; value: { stringValue: string } };

export function gaugeRequest(points: { timeUnixNano: string; asDouble?: number; attributes?: Attr[] }[]): Record<string, unknown> {
  return { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: points } }] }] }] };
}

export function attrs(n: number, valueLength = 1): Attr[] {
  return Array.from({ length: n }, (_, i) => ({ key: `a${i}`, value: { stringValue: 'x'.repeat(valueLength) } }));
}

export const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

export interface BadCase {
  name: string;
  url?: string;
  headers: Record<string, string>;
  payload: Buffer;
  status: number;
  message: string;
}

/** Every bad input gets its status and a message that names the problem. */
export const badCases: BadCase[] = [
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

