import { deserialize, serialize } from 'node:v8';
import type { Event, LogRecord, MetricMetadata, Labels, SampleColumns, TimeSeries } from '../../core/index.js';
import { fromSampleColumns, toSampleColumns, VigilError } from '../../core/index.js';

/**
 * The payload of one bus record: a batch of one record kind for one tenant.
 *
 * Encoded with V8's structured-clone serializer behind a one-byte format version: it keeps
 * bigint nanosecond timestamps exact and encodes/decodes several million samples per second
 * (bench/ingest). Samples travel as Float64Arrays, not objects: typed arrays are copied as raw
 * bytes, so NaN payloads (Prometheus' staleness marker) survive — V8 canonicalises NaNs held in
 * plain object fields, and labels travel as a symbol table (SampleColumns), so a record of 10k
 * series decodes in well under a millisecond (bench/ingest/codec.ts). V8 reads data written by older V8 versions, so records outlive
 * upgrades; a new format gets a new version byte, and the old ones stay readable.
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

/** v1: metrics with one label object per series (read only: records written by older versions). */
const FORMAT_V8_LABELS = 1;
/** v2: metrics as SampleColumns (a symbol table of labels). */
const FORMAT_V8_COLUMNS = 2;

/** The v1 wire shape of a metrics batch: labels per series, and all samples in two columns. */
interface WireMetricsV1 {
  readonly kind: 'metrics';
  readonly tenant: string;
  readonly labels: readonly Labels[];
  /** counts[i] = number of samples of series i; columns hold them series after series. */
  readonly counts: Uint32Array;
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly metadata: readonly MetricMetadata[];
}

/** The v2 wire shape of a metrics batch: SampleColumns' fields, flat. */
interface WireMetrics extends SampleColumns {
  readonly kind: 'metrics';
  readonly tenant: string;
  readonly metadata: readonly MetricMetadata[];
}

function toWire(p: BusPayload): unknown {
  if (p.kind !== 'metrics') return p;
  const wire: WireMetrics = { kind: 'metrics', tenant: p.tenant, ...toSampleColumns(p.series), metadata: p.metadata };
  return wire;
}

export function encodePayload(payload: BusPayload): Uint8Array {
  return encodeWire(toWire(payload));
}

/** Encodes a metrics batch already in columns (the same bytes encodePayload writes for its series). */
export function encodeMetricsColumns(tenant: string, columns: SampleColumns, metadata: readonly MetricMetadata[]): Uint8Array {
  const wire: WireMetrics = { kind: 'metrics', tenant, ...columns, metadata };
  return encodeWire(wire);
}

function encodeWire(wire: unknown): Uint8Array {
  const body = serialize(wire);
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = FORMAT_V8_COLUMNS;
  body.copy(out, 1);
  return out;
}

/** Decodes a bus record into objects (tests, tools); writers use decodeBusRecord. */
export function decodePayload(bytes: Uint8Array): BusPayload {
  const d = decodeBusRecord(bytes);
  if (d.kind !== 'metrics') return d;
  return { kind: 'metrics', tenant: d.tenant, series: fromSampleColumns(d.columns), metadata: d.metadata };
}

/** v1 series → columns; counts/t/v are already columns. */
function columnsOfV1(w: WireMetricsV1): SampleColumns {
  if (!(w.t instanceof Float64Array) || !(w.v instanceof Float64Array) || !(w.counts instanceof Uint32Array) || !Array.isArray(w.labels) || w.labels.length !== w.counts.length) {
    throw new VigilError('bad_data', 'bus metrics record (v1 layout) is malformed');
  }
  const labelsOnly = toSampleColumns(w.labels.map((labels) => ({ labels, samples: [] })));
  return { ...labelsOnly, counts: w.counts, t: w.t, v: w.v };
}

function columnsOfV2(w: WireMetrics): SampleColumns {
  const typed = w.pairs instanceof Uint32Array && w.seriesPairs instanceof Uint32Array && w.pairCounts instanceof Uint32Array && w.counts instanceof Uint32Array;
  if (!typed || !(w.t instanceof Float64Array) || !(w.v instanceof Float64Array) || !Array.isArray(w.symbols)) {
    throw new VigilError('bad_data', 'bus metrics record is malformed: its columns are not typed arrays');
  }
  return { symbols: w.symbols, pairs: w.pairs, seriesPairs: w.seriesPairs, pairCounts: w.pairCounts, counts: w.counts, t: w.t, v: w.v };
}

/**
 * Decodes a bus record, keeping metrics in columns; throws VigilError('bad_data') on garbage.
 * Shapes are checked here; the columns' references and labels are checked by the store's appender.
 */
export function decodeBusRecord(bytes: Uint8Array): DecodedBusRecord {
  const format = bytes[0];
  if (bytes.length < 2 || (format !== FORMAT_V8_COLUMNS && format !== FORMAT_V8_LABELS)) {
    throw new VigilError('bad_data', `bus record has unknown payload format ${format ?? 'none'}`);
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
    const w = value as WireMetrics & WireMetricsV1;
    const columns = format === FORMAT_V8_COLUMNS ? columnsOfV2(w) : columnsOfV1(w);
    return { kind: 'metrics', tenant: w.tenant, columns, metadata: w.metadata };
  }
  if (kind === 'logs' || kind === 'events') return value as DecodedBusRecord;
  throw new VigilError('bad_data', `bus record has unknown kind ${String(kind)}`);
}
