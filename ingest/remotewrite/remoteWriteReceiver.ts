import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { Limits, VigilError } from '../../core/index.js';
import { capMessage, httpStatusOf, isVigilError, requestTenant } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { createReceiverMetrics } from '../pipeline/receiverMetrics.js';
import { checkRemoteWriteHeaders, REMOTE_WRITE_V2_VERSION, REMOTE_WRITE_VERSION } from './remoteWriteHeaders.js';
import type { RemoteWriteDecoder } from './remoteWriteTask.js';
import { inProcessRemoteWriteDecoder } from './remoteWriteTask.js';

export interface RemoteWriteReceiverOptions {
  readonly pipeline: PushPipeline;
  /** maxRequestBytes bounds the body before and after snappy decompression. */
  readonly limits: Limits;
  /** Tenant of requests that neither the platform's auth hook nor X-Scope-OrgID names. */
  readonly defaultTenant: string;
  /** Where bodies are decoded and prepared: a DecodePool (worker threads) or, by default, this thread. */
  readonly decoder?: RemoteWriteDecoder;
  /** Where the receiver's request metrics go (vigil_ingest_requests_total{receiver="prometheus_remote_write"}). */
  readonly registry: Registry;
}

const RECEIVER = 'prometheus_remote_write';

/**
 * Prometheus remote write at POST /api/v1/write: snappy-compressed prometheus.WriteRequest (1.0)
 * or io.prometheus.write.v2.Request (2.0, told apart by the Content-Type's proto parameter).
 * Answers as the specification asks, so that Prometheus retries what may succeed later and drops
 * what never will: 204 when every sample is durable; 400 naming the first problem per reason when
 * some or all were refused (the rest is durable; retrying would not help); 413/415 for a body
 * it cannot read; 429 (ingestion rate, bus backpressure, decoders busy) and 5xx with Retry-After
 * for what may succeed later. Bodies are plain text. Register with `app.register(...)`; it keeps
 * its own content-type parser and error handler.
 */
export async function remoteWriteReceiver(app: FastifyInstance, options: RemoteWriteReceiverOptions): Promise<void> {
  const { pipeline, limits, defaultTenant } = options;
  const decoder = options.decoder ?? inProcessRemoteWriteDecoder;
  const metrics = createReceiverMetrics(options.registry, RECEIVER);

  // The body is read raw whatever its type: the handler checks the headers and answers 415 itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxRequestBytes }, (_req, body, done) => {
    done(null, body);
  });

  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    if (isVigilError(error)) {
      const status = httpStatusOf(error.code);
      if (status >= 500 && status !== 503) request.log.error({ err: error }, 'remote write request failed');
      return answer(reply, status, error.message, error.retryAfterMs);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) return answer(reply, 413, `request body is larger than the limit of ${limits.maxRequestBytes} bytes`);
    if (status >= 400 && status < 500) return answer(reply, status, error.message);
    request.log.error({ err: error }, 'remote write request failed');
    return answer(reply, 500, 'internal error');
  });

  function answer(reply: FastifyReply, status: number, message: string, retryAfterMs?: number): FastifyReply {
    metrics.answered(status);
    reply.code(status);
    if (!reply.hasHeader('x-prometheus-remote-write-version')) reply.header('x-prometheus-remote-write-version', REMOTE_WRITE_VERSION);
    if (status === 429 || status === 503) reply.header('retry-after', String(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000))));
    if (status === 204) return reply.send();
    return reply.type('text/plain; charset=utf-8').send(`${capMessage(message)}\n`);
  }

  app.post('/api/v1/write', { bodyLimit: limits.maxRequestBytes }, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    metrics.receivedBytes(body.length);
    const message = checkRemoteWriteHeaders({
      contentType: headerText(request.headers['content-type']),
      contentEncoding: headerText(request.headers['content-encoding']),
      version: headerText(request.headers['x-prometheus-remote-write-version']),
    });
    // The platform's auth hook decides the tenant (token, else header); every sample is written under it.
    const tenant = requestTenant(request, defaultTenant);
    const prepared = await decoder.decode({ protocol: 'prometheus_remote_write', message, tenant, body, ...pipeline.context() });
    const result = await pipeline.publish(prepared);
    // Remote write 2.0's answer headers: what was written (native histograms and exemplars never are, yet).
    reply.header('x-prometheus-remote-write-samples-written', String(result.accepted.samples));
    reply.header('x-prometheus-remote-write-histograms-written', '0');
    reply.header('x-prometheus-remote-write-exemplars-written', '0');
    if (message === 2) reply.header('x-prometheus-remote-write-version', REMOTE_WRITE_V2_VERSION);
    if (result.rejected.samples > 0) {
      return answer(reply, 400, `${result.accepted.samples} samples stored, ${result.rejected.samples} rejected: ${result.errorMessage}`);
    }
    return answer(reply, 204, '');
  });
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
