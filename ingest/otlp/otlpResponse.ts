import type { FastifyReply } from 'fastify';
import { capMessage } from '../../core/index.js';
import type { OtlpEncoding } from './otlpBody.js';
import { encodeProtobuf, otlpTypes } from './otlpProto.js';

/** gRPC status codes for the google.rpc.Status body of a failed OTLP/HTTP request. */
function grpcCodeOf(httpStatus: number): number {
  if (httpStatus === 429 || httpStatus === 413) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 503) return 14; // UNAVAILABLE
  if (httpStatus === 404) return 5; // NOT_FOUND
  if (httpStatus === 401) return 16; // UNAUTHENTICATED
  if (httpStatus === 403) return 7; // PERMISSION_DENIED
  if (httpStatus >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}

function send(reply: FastifyReply, encoding: OtlpEncoding, protobufBody: () => Uint8Array, jsonBody: unknown): FastifyReply {
  if (encoding === 'protobuf') return reply.type('application/x-protobuf').send(Buffer.from(protobufBody()));
  return reply.type('application/json').send(JSON.stringify(jsonBody));
}

export type OtlpSignal = 'metrics' | 'logs';

/**
 * A 200 with Export{Metrics,Logs}ServiceResponse; `partialSuccess` only when something was
 * rejected (the spec asks for it to be left unset on full success).
 */
export function sendExportResponse(reply: FastifyReply, encoding: OtlpEncoding, signal: OtlpSignal, rejected: number, errorMessage: string): FastifyReply {
  const countField = signal === 'metrics' ? 'rejectedDataPoints' : 'rejectedLogRecords';
  errorMessage = capMessage(errorMessage);
  const body = rejected > 0 || errorMessage.length > 0 ? { partialSuccess: { [countField]: rejected, errorMessage } } : {};
  const type = signal === 'metrics' ? otlpTypes.metricsResponse : otlpTypes.logsResponse;
  // JSON int64 is written as a string, as the proto3 JSON mapping does.
  const json = rejected > 0 || errorMessage.length > 0 ? { partialSuccess: { [countField]: String(rejected), errorMessage } } : {};
  reply.code(200);
  return send(reply, encoding, () => encodeProtobuf(type, body), json);
}

/** A failure as google.rpc.Status in the request's encoding; Retry-After for retryable ones. */
export function sendStatus(reply: FastifyReply, encoding: OtlpEncoding, httpStatus: number, message: string, retryAfterMs?: number): FastifyReply {
  reply.code(httpStatus);
  if (httpStatus === 429 || httpStatus === 503) reply.header('retry-after', String(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000))));
  // The safety net behind quote(): whatever a message interpolated, the answer stays small.
  const status = { code: grpcCodeOf(httpStatus), message: capMessage(message) };
  return send(reply, encoding, () => encodeProtobuf(otlpTypes.status, status), status);
}
