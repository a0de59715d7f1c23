import { deserialize, serialize } from 'node:v8';
import type { Event, LogRecord, MetricMetadata, TimeSeries } from '../../core/index.js';
import { VigilError } from '../../core/index.js';

/**
 * The payload of one bus record: a batch of one record kind for one tenant.
 *
 * Encoded with V8's structured-clone serializer behind a one-byte format version: it keeps
 * bigint nanosecond timestamps and NaN values exact, and encodes/decodes several million
 * samples per second (bench/ingest). V8 reads data written by older V8 versions, so records
 * outlive upgrades; a new format gets a new version byte.
 */
export type BusPayload =
  | { readonly kind: 'metrics'; readonly tenant: string; readonly series: readonly TimeSeries[]; readonly metadata: readonly MetricMetadata[] }
  | { readonly kind: 'logs'; readonly tenant: string; readonly logs: readonly LogRecord[] }
  | { readonly kind: 'events'; readonly tenant: string; readonly events: readonly Event[] };

const FORMAT_V8 = 1;

export function encodePayload(payload: BusPayload): Uint8Array {
  const body = serialize(payload);
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = FORMAT_V8;
  body.copy(out, 1);
  return out;
}

export function decodePayload(bytes: Uint8Array): BusPayload {
  if (bytes.length < 2 || bytes[0] !== FORMAT_V8) {
    throw new VigilError('bad_data', `bus record has unknown payload format ${bytes[0] ?? 'none'}`);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.length - 1);
  const value = deserialize(buf) as BusPayload;
  if (value === null || typeof value !== 'object' || !('kind' in value)) {
    throw new VigilError('bad_data', 'bus record payload is not a Vigil batch');
  }
  return value;
}
