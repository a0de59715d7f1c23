import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { Limits, VigilError } from '../../core/index.js';
import { capMessage, httpStatusOf, isVigilError, requestTenant } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { createReceiverMetrics } from '../listeners/receiverMetrics.js';
import { decodeLokiBody } from './lokiBody.js';
import { lokiToWriteRequest } from './lokiToWriteRequest.js';

export interface LokiPushReceiverOptions {
  readonly pipeline: PushPipeline;
  /** maxRequestBytes bounds the body before and after decompression; maxJsonDepth the JSON nesting. */
  readonly limits: Limits;
  /** Tenant of requests that neither the platform's auth hook nor X-Scope-OrgID names. */
  readonly defaultTenant: string;
  readonly registry: Registry;
  /** Receive clock in milliseconds (tests). */
  readonly now?: () => number;
}

/**
 * POST /loki/api/v1/push, answered as Loki answers so that promtail, Grafana Alloy and Fluent Bit
 * need nothing but the URL: 204 with no body when everything was stored; 400 with a text message
 * naming the first bad stream (what was valid is stored, as Loki does); 413, 415; 429 (or 503)
 * with Retry-After when the bus pushes back, which the clients retry.
 * Register with `app.register(lokiPushReceiver, options)`; it keeps its own content-type parser.
 */
export async function lokiPushReceiver(app: FastifyInstance, options: LokiPushReceiverOptions): Promise<void> {
  const { pipeline, limits, defaultTenant } = options;
  const now = options.now ?? Date.now;
  const metrics = createReceiverMetrics(options.registry);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxRequestBytes }, (_req, body, done) => done(null, body));
  app.addHook('onResponse', async (_request, reply) => metrics.request('loki', reply.statusCode));

  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    if (isVigilError(error)) {
      const status = httpStatusOf(error.code);
      if (status >= 500 && status !== 503) request.log.error({ err: error }, 'Loki push failed');
      return sendText(reply, status, error.message, error.retryAfterMs);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) return sendText(reply, 413, `request body is larger than the limit of ${limits.maxRequestBytes} bytes`);
    if (status >= 400 && status < 500) return sendText(reply, status, error.message);
    request.log.error({ err: error }, 'Loki push failed');
    return sendText(reply, 500, 'internal error');
  });

  app.post('/loki/api/v1/push', { bodyLimit: limits.maxRequestBytes }, async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = requestTenant(request, defaultTenant);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const streams = await decodeLokiBody(body, request.headers['content-type'], headerText(request.headers['content-encoding']), limits);
    const result = await pipeline.push(lokiToWriteRequest(streams, tenant, BigInt(now()) * 1_000_000n));
    // Loki answers a push with invalid entries 400 even though it kept the valid ones; clients log it and move on.
    if (result.rejected.logs > 0) return sendText(reply, 400, result.errorMessage);
    return reply.code(204).send();
  });
}

function sendText(reply: FastifyReply, status: number, message: string, retryAfterMs?: number): FastifyReply {
  if (status === 429 || status === 503) reply.header('retry-after', String(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000))));
  return reply.code(status).type('text/plain; charset=utf-8').send(`${capMessage(message)}\n`);
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
