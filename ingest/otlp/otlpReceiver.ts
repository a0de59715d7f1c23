import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Limits, WriteRequest } from '../../core/index.js';
import { httpStatusOf, isVigilError, VigilError } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { Rejections } from '../pipeline/rejections.js';
import { decodeContentEncoding, parseJsonBody, requestEncoding, responseEncoding } from './otlpBody.js';
import { otlpLogsToWriteRequest } from './otlpLogsToWriteRequest.js';
import { otlpMetricsToWriteRequest } from './otlpMetricsToWriteRequest.js';
import { decodeProtobuf, otlpTypes } from './otlpProto.js';
import type { OtlpSignal } from './otlpResponse.js';
import { sendExportResponse, sendStatus } from './otlpResponse.js';

export interface OtlpReceiverOptions {
  readonly pipeline: PushPipeline;
  /** maxRequestBytes bounds the body before and after gzip decompression. */
  readonly limits: Limits;
  /** Tenant of requests without an X-Scope-OrgID header. */
  readonly defaultTenant: string;
  /** Clock (milliseconds) for the observed time of log records that carry none. */
  readonly now?: () => number;
}

/** Tenant ids as Mimir/Loki accept them: no path tricks, no separators. */
const TENANT = /^[a-zA-Z0-9!._*'()-]{1,150}$/;

export function tenantOf(request: FastifyRequest, defaultTenant: string): string {
  const header = request.headers['x-scope-orgid'];
  if (header === undefined) return defaultTenant;
  const value = Array.isArray(header) ? header[0] ?? '' : header;
  if (!TENANT.test(value) || value === '.' || value === '..') {
    throw new VigilError('bad_data', `invalid X-Scope-OrgID ${JSON.stringify(value.slice(0, 160))}: 1-150 characters of [a-zA-Z0-9!._*'()-]`);
  }
  return value;
}

/**
 * OTLP/HTTP receiver: POST /v1/metrics and /v1/logs with protobuf or JSON bodies, optionally
 * gzip'ed. It only turns the wire format into a WriteRequest; the push pipeline validates and
 * publishes. Answers follow the OTLP/HTTP spec: Export*ServiceResponse (with partialSuccess when
 * some records were rejected) or google.rpc.Status, in the request's encoding.
 * Register with `app.register(otlpReceiver, options)`; it keeps its own content-type parsers.
 */
export async function otlpReceiver(app: FastifyInstance, options: OtlpReceiverOptions): Promise<void> {
  const { pipeline, limits, defaultTenant } = options;
  const now = options.now ?? Date.now;

  // OTLP bodies are read raw: decoding depends on Content-Type and Content-Encoding, done in the handler.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxRequestBytes }, (_req, body, done) => {
    done(null, body);
  });

  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    const encoding = responseEncoding(request.headers['content-type']);
    if (isVigilError(error)) {
      const status = httpStatusOf(error.code);
      if (status >= 500 && status !== 503) request.log.error({ err: error }, 'OTLP request failed');
      return sendStatus(reply, encoding, status, error.message, error.retryAfterMs);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) return sendStatus(reply, encoding, 413, `request body is larger than the limit of ${limits.maxRequestBytes} bytes`);
    if (status >= 400 && status < 500) return sendStatus(reply, encoding, status, error.message);
    request.log.error({ err: error }, 'OTLP request failed');
    return sendStatus(reply, encoding, 500, 'internal error');
  });

  const handle = (signal: OtlpSignal) => async (request: FastifyRequest, reply: FastifyReply) => {
    const encoding = requestEncoding(request.headers['content-type']);
    const tenant = tenantOf(request, defaultTenant);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const body = await decodeContentEncoding(raw, headerText(request.headers['content-encoding']), limits.maxRequestBytes);
    const rejections = new Rejections();
    let req: WriteRequest;
    if (signal === 'metrics') {
      const message = encoding === 'json' ? parseJsonBody(body) : decodeProtobuf(otlpTypes.metricsRequest, body);
      req = otlpMetricsToWriteRequest(message, tenant, rejections);
    } else {
      const message = encoding === 'json' ? parseJsonBody(body) : decodeProtobuf(otlpTypes.logsRequest, body);
      req = otlpLogsToWriteRequest(message, tenant, BigInt(Math.floor(now())) * 1_000_000n);
    }
    const result = await pipeline.push(req, rejections);
    const rejected = signal === 'metrics' ? result.rejected.samples : result.rejected.logs;
    return sendExportResponse(reply, encoding, signal, rejected, result.errorMessage);
  };

  app.post('/v1/metrics', { bodyLimit: limits.maxRequestBytes }, handle('metrics'));
  app.post('/v1/logs', { bodyLimit: limits.maxRequestBytes }, handle('logs'));
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
