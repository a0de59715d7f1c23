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
const v2Root = protobuf.parse(readFileSync(resolve(import.meta.dirname, 'data', 'remotewrite', 'v2.proto'), 'utf8'), { keepCase: false }).root;
const v2Request = v2Root.lookupType('io.prometheus.write.v2.Request');

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

/** A remote write 2.0 series in readable form: labels and metadata as strings, interned by encodeV2Request. */
export interface V2Series {
  readonly labels: Record<string, string>;
  readonly samples?: readonly { readonly value: number; readonly timestamp: number }[];
  readonly histograms?: readonly unknown[];
  readonly metadata?: { readonly type: number; readonly help?: string; readonly unit?: string };
}

/**
 * The uncompressed bytes of an io.prometheus.write.v2.Request: every string once in the symbol
 * table (which starts with ""), series referring to them, as a 2.0 sender builds it.
 */
export function encodeV2Request(series: readonly V2Series[]): Buffer {
  const symbols: string[] = [''];
  const refOf = (s: string): number => {
    let i = symbols.indexOf(s);
    if (i < 0) i = symbols.push(s) - 1;
    return i;
  };
  const timeseries = series.map((s) => ({
    labelsRefs: rwLabels(s.labels).flatMap((l) => [refOf(l.name), refOf(l.value)]),
    samples: s.samples ?? [],
    histograms: s.histograms ?? [],
    ...(s.metadata === undefined ? {} : { metadata: { type: s.metadata.type, helpRef: refOf(s.metadata.help ?? ''), unitRef: refOf(s.metadata.unit ?? '') } }),
  }));
  return Buffer.from(v2Request.encode(v2Request.fromObject({ symbols, timeseries })).finish());
}

/** Headers a remote write 2.0 sender sends. */
export const V2_HEADERS = {
  'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '2.0.0',
} as const;
