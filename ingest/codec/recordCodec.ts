import { deserialize, serialize } from 'node:v8';
import type { Event, LogRecord, MetricMetadata, Labels, Sample, SampleColumns, TimeSeries } from '../../core/index.js';
import { VigilError } from '../../core/index.js';

/**
 * The payload of one bus record: a batch of one record kind for one tenant.
 *
 * Encoded with V8's structured-clone serializer behind a one-byte format version: it keeps
 * bigint nanosecond timestamps exact and encodes/decodes several million samples per second
 * (bench/ingest). Samples travel as Float64Arrays, not objects: typed arrays are copied as raw
 * bytes, so NaN payloads (Prometheus' staleness marker) survive — V8 canonicalises NaNs held in
 * plain object fields. V8 reads data written by older V8 versions, so records outlive upgrades;
 * a new format gets a new version byte.
 */
export type BusPayload =
  | { readonly kind: 'metrics'; readonly tenant: string; readonly series: readonly TimeSeries[]; readonly metadata: readonly MetricMetadata[] }
  | { readonly kind: 'logs'; readonly tenant: string; readonly logs: readonly LogRecord[] }
  | { readonly kind: 'events'; readonly tenant: string; readonly events: readonly Event[] };

/**
 * What a consumer gets from decodeBusRecord: like BusPayload, but metrics stay in columns
 * (SampleColumns) so that a writer never builds an object per sample.
 */
export type DecodedBusRecord =
  | { readonly kind: 'metrics'; readonly tenant: string; readonly columns: SampleColumns; readonly metadata: readonly MetricMetadata[] }
  | { readonly kind: 'logs'; readonly tenant: string; readonly logs: readonly LogRecord[] }
  | { readonly kind: 'events'; readonly tenant: string; readonly events: readonly Event[] };

const FORMAT_V8 = 1;

/** The wire shape of a metrics batch: labels per series, and all samples in two columns. */
interface WireMetrics {
  readonly kind: 'metrics';
  readonly tenant: string;
  readonly labels: readonly Labels[];
  /** counts[i] = number of samples of series i; columns hold them series after series. */
  readonly counts: Uint32Array;
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly metadata: readonly MetricMetadata[];
}

function toWire(p: BusPayload): unknown {
  if (p.kind !== 'metrics') return p;
  let total = 0;
  for (const s of p.series) total += s.samples.length;
  const counts = new Uint32Array(p.series.length);
  const t = new Float64Array(total);
  const v = new Float64Array(total);
  let k = 0;
  p.series.forEach((s, i) => {
    counts[i] = s.samples.length;
    for (const sample of s.samples) {
      t[k] = sample.t;
      v[k] = sample.v;
      k++;
    }
  });
  const wire: WireMetrics = { kind: 'metrics', tenant: p.tenant, labels: p.series.map((s) => s.labels), counts, t, v, metadata: p.metadata };
  return wire;
}

function fromWire(w: WireMetrics): BusPayload {
  const series: TimeSeries[] = new Array<TimeSeries>(w.labels.length);
  let k = 0;
  for (let i = 0; i < w.labels.length; i++) {
    const n = w.counts[i] as number;
    const samples: Sample[] = new Array<Sample>(n);
    for (let j = 0; j < n; j++, k++) samples[j] = { t: w.t[k] as number, v: w.v[k] as number };
    series[i] = { labels: w.labels[i] as Labels, samples };
  }
  return { kind: 'metrics', tenant: w.tenant, series, metadata: w.metadata };
}

export function encodePayload(payload: BusPayload): Uint8Array {
  const body = serialize(toWire(payload));
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = FORMAT_V8;
  body.copy(out, 1);
  return out;
}

/** Decodes a bus record into objects (tests, tools); writers use decodeBusRecord. */
export function decodePayload(bytes: Uint8Array): BusPayload {
  const d = decodeBusRecord(bytes);
  if (d.kind !== 'metrics') return d;
  return fromWire({ kind: 'metrics', tenant: d.tenant, labels: d.columns.labels, counts: d.columns.counts, t: d.columns.t, v: d.columns.v, metadata: d.metadata });
}

/** Decodes a bus record, keeping metrics in columns; throws VigilError('bad_data') on garbage. */
export function decodeBusRecord(bytes: Uint8Array): DecodedBusRecord {
  if (bytes.length < 2 || bytes[0] !== FORMAT_V8) {
    throw new VigilError('bad_data', `bus record has unknown payload format ${bytes[0] ?? 'none'}`);
  }
  let value: unknown;
  try {
    value = deserialize(Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.length - 1));
  } catch (err) {
    throw new VigilError('bad_data', `bus record payload cannot be decoded: ${(err as Error).message}`, { cause: err });
  }
  if (value === null || typeof value !== 'object' || !('kind' in value)) {
    throw new VigilError('bad_data', 'bus record payload is not a Vigil batch');
  }
  const kind = (value as { kind: unknown }).kind;
  if (kind === 'metrics') {
    const w = value as WireMetrics;
    if (!(w.t instanceof Float64Array) || !(w.v instanceof Float64Array) || !(w.counts instanceof Uint32Array) || !Array.isArray(w.labels)) {
      throw new VigilError('bad_data', 'bus metrics record is malformed');
    }
    return { kind: 'metrics', tenant: w.tenant, columns: { labels: w.labels, counts: w.counts, t: w.t, v: w.v }, metadata: w.metadata };
  }
  if (kind === 'logs' || kind === 'events') return value as DecodedBusRecord;
  throw new VigilError('bad_data', `bus record has unknown kind ${String(kind)}`);
}
