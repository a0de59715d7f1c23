import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Limits } from '../../core/index.js';
import { httpStatusOf, isVigilError, quote, VigilError } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { requestEncoding, responseEncoding } from './otlpBody.js';
import type { OtlpDecoder } from './otlpDecode.js';
import { inProcessDecoder } from './otlpDecode.js';
import type { OtlpSignal } from './otlpResponse.js';
import { sendExportResponse, sendStatus } from './otlpResponse.js';

export interface OtlpReceiverOptions {
  readonly pipeline: PushPipeline;
  /** maxRequestBytes bounds the body before and after gzip decompression. */
  readonly limits: Limits;
  /** Tenant of requests without an X-Scope-OrgID header. */
  readonly defaultTenant: string;
  /**
   * Where bodies are decoded, mapped and prepared for the bus: a DecodePool (worker threads) or,
   * by default, this thread. The pipeline's clock gives the time checks and the observed time of
   * log records that carry none.
   */
  readonly decoder?: OtlpDecoder;
}

/** Tenant ids as Mimir/Loki accept them: no path tricks, no separators. */
const TENANT = /^[a-zA-Z0-9!._*'()-]{1,150}$/;

export function tenantOf(request: FastifyRequest, defaultTenant: string): string {
  const header = request.headers['x-scope-orgid'];
  if (header === undefined) return defaultTenant;
  const value = Array.isArray(header) ? header[0] ?? '' : header;
  if (!TENANT.test(value) || value === '.' || value === '..') {
    throw new VigilError('bad_data', `invalid X-Scope-OrgID ${quote(value)}: 1-150 characters of [a-zA-Z0-9!._*'()-]`);
  }
  return value;
}

/**
 * OTLP/HTTP receiver: POST /v1/metrics and /v1/logs with protobuf or JSON bodies, optionally
 * gzip'ed. The decoder turns the wire format into prepared bus records (in a worker thread when
 * given a DecodePool); the push pipeline publishes them. Answers follow the OTLP/HTTP spec: Export*ServiceResponse (with partialSuccess when
 * some records were rejected) or google.rpc.Status, in the request's encoding.
 * Register with `app.register(otlpReceiver, options)`; it keeps its own content-type parsers.
 */
export async function otlpReceiver(app: FastifyInstance, options: OtlpReceiverOptions): Promise<void> {
  const { pipeline, limits, defaultTenant } = options;
  const decoder = options.decoder ?? inProcessDecoder;

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
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const contentEncoding = headerText(request.headers['content-encoding']);
    const prepared = await decoder.decode({ signal, encoding, contentEncoding, tenant, body, ...pipeline.context() });
    const result = await pipeline.publish(prepared);
    const rejected = signal === 'metrics' ? result.rejected.samples : result.rejected.logs;
    return sendExportResponse(reply, encoding, signal, rejected, result.errorMessage);
  };

  app.post('/v1/metrics', { bodyLimit: limits.maxRequestBytes }, handle('metrics'));
  app.post('/v1/logs', { bodyLimit: limits.maxRequestBytes }, handle('logs'));
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
