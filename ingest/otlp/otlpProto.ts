import protobuf from 'protobufjs';
import { capMessage, VigilError } from '../../core/index.js';
import { otlpDescriptor } from '../proto/otlpDescriptor.js';
import { boundAnyValueDepth } from './otlpDepth.js';
import { installFastNumberDataPoint } from './otlpFastDecode.js';

/**
 * The OTLP protobuf types, built once from the descriptor generated from ingest/proto/*.proto.
 * protobufjs generates each type's decoder and encoder on first use and reuses it after.
 */
const root = protobuf.Root.fromJSON(otlpDescriptor);

export const otlpTypes = {
  metricsRequest: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
  metricsResponse: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
  logsRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  logsResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  status: root.lookupType('google.rpc.Status'),
} as const;

installFastNumberDataPoint(root.lookupType('opentelemetry.proto.metrics.v1.NumberDataPoint'), root.lookupType('opentelemetry.proto.common.v1.AnyValue'));
boundAnyValueDepth(root.lookupType('opentelemetry.proto.common.v1.AnyValue'));

/** Decodes a protobuf body; a truncated or garbled one becomes a 400 naming the message type. */
export function decodeProtobuf(type: protobuf.Type, body: Uint8Array): unknown {
  try {
    return type.decode(body);
  } catch (err) {
    // Nested groups of unknown fields are skipped recursively by protobufjs: a stack overflow there is bad input too.
    const reason = err instanceof RangeError && /call stack/i.test(err.message) ? 'nesting too deep' : capMessage((err as Error).message, 200);
    throw new VigilError('bad_data', `malformed protobuf ${type.name}: ${reason}`, { cause: err });
  }
}

/** Encodes a plain object (protobufjs' object form: camelCase fields) as protobuf bytes. */
export function encodeProtobuf(type: protobuf.Type, value: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(value)).finish();
}

/**
 * OTLP JSON writes trace and span ids as hex; protobufjs' object form expects bytes. Returns a
 * copy of an OTLP JSON request with those ids as bytes, every other field untouched.
 */
function idsToBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(idsToBytes);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = (k === 'traceId' || k === 'spanId') && typeof v === 'string' ? Buffer.from(v, 'hex') : idsToBytes(v);
  }
  return out;
}

/**
 * Encodes an ExportMetricsServiceRequest given in OTLP JSON form (lowerCamelCase fields, 64-bit
 * integers as strings or numbers, hex ids) as the protobuf body of POST /v1/metrics. For
 * benchmarks and tests that need protobuf requests.
 */
export function encodeOtlpMetricsProtobuf(request: Record<string, unknown>): Uint8Array {
  return encodeProtobuf(otlpTypes.metricsRequest, idsToBytes(request) as Record<string, unknown>);
}

/** As encodeOtlpMetricsProtobuf, for an ExportLogsServiceRequest (POST /v1/logs). */
export function encodeOtlpLogsProtobuf(request: Record<string, unknown>): Uint8Array {
  return encodeProtobuf(otlpTypes.logsRequest, idsToBytes(request) as Record<string, unknown>);
}
