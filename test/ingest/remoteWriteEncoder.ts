import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';

/**
 * The tests' reference remote-write encoder: protobufjs over Prometheus' own .proto (the parts
 * 1.0 sends), snappy block format, so that Vigil's hand-written decoder is checked against
 * bytes it did not produce. Messages are written in protobufjs' JSON-ish object form:
 * `{ timeseries: [{ labels: [{ name, value }], samples: [{ value, timestamp }] }], metadata: [...] }`.
 */
const root = protobuf.parse(readFileSync(resolve(import.meta.dirname, 'data', 'remotewrite', 'remote.proto'), 'utf8'), { keepCase: false }).root;
const writeRequest = root.lookupType('prometheus.WriteRequest');

export interface RwLabel {
  readonly name: string;
  readonly value: string;
}

export interface RwSeries {
  readonly labels: readonly RwLabel[];
  readonly samples?: readonly { readonly value: number; readonly timestamp: number }[];
  readonly exemplars?: readonly unknown[];
  readonly histograms?: readonly unknown[];
}

export interface RwRequest {
  readonly timeseries?: readonly RwSeries[];
  readonly metadata?: readonly { readonly type?: number; readonly metricFamilyName?: string; readonly help?: string; readonly unit?: string }[];
}

/** The uncompressed protobuf bytes of a WriteRequest. */
export function encodeWriteRequest(request: RwRequest): Buffer {
  const message = writeRequest.fromObject(request as Record<string, unknown>);
  return Buffer.from(writeRequest.encode(message).finish());
}

/** The request body Prometheus would send: the protobuf bytes, snappy-compressed (block format). */
export function remoteWriteBody(request: RwRequest): Buffer {
  return snappy(encodeWriteRequest(request));
}

export function snappy(bytes: Uint8Array): Buffer {
  return Buffer.from(compress(new Uint8Array(bytes)));
}

/** Labels as remote write sends them: sorted by name. */
export function rwLabels(labels: Record<string, string>): RwLabel[] {
  return Object.keys(labels)
    .sort()
    .map((name) => ({ name, value: labels[name] as string }));
}

/** Headers Prometheus 2.42 sends with every remote-write request. */
export const PROMETHEUS_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'Prometheus/2.42.0',
} as const;
