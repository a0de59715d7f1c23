import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { Limits, VigilError } from '../../core/index.js';
import { capMessage, httpStatusOf, isVigilError } from '../../core/index.js';
import { decodeContentEncoding } from '../otlp/otlpBody.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import type { ReceiverMetrics } from './receiverMetrics.js';

/** What the line-oriented HTTP imports (Graphite, Wavefront, JSON lines) share: raw bodies, gzip, plain-text answers. */

/** The options of a line-oriented import plugin. */
export interface TextImportOptions {
  readonly pipeline: PushPipeline;
  /** maxRequestBytes bounds the body before and after gzip (maxJsonDepth each JSON line's nesting). */
  readonly limits: Limits;
  readonly defaultTenant: string;
  readonly registry: Registry;
  readonly now?: () => number;
}

/** Bad lines named in one answer at most; the rest are counted. */
export const MAX_NAMED_LINES = 3;

/** Raw bodies, plain-text errors and per-route request counts for a text import plugin. */
export function registerTextBody(app: FastifyInstance, limits: Limits, metrics: ReceiverMetrics, receiverOf: (url: string) => string): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxRequestBytes }, (_req, body, done) => done(null, body));
  app.addHook('onResponse', async (request, reply) => metrics.request(receiverOf(request.url), reply.statusCode));
  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    if (isVigilError(error)) {
      const status = httpStatusOf(error.code);
      if (status >= 500 && status !== 503) request.log.error({ err: error }, 'import failed');
      return sendText(reply, status, error.message, error.retryAfterMs);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) return sendText(reply, 413, `request body is larger than the limit of ${limits.maxRequestBytes} bytes`);
    if (status >= 400 && status < 500) return sendText(reply, status, error.message);
    request.log.error({ err: error }, 'import failed');
    return sendText(reply, 500, 'internal error');
  });
}

/** The body as text after Content-Encoding (gzip), bounded by maxRequestBytes. */
export async function bodyText(request: FastifyRequest, limits: Limits): Promise<string> {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const header = request.headers['content-encoding'];
  const plain = await decodeContentEncoding(body, Array.isArray(header) ? header.join(',') : header, limits.maxRequestBytes);
  return plain.toString('utf8');
}

/** Calls `fn` with each non-empty line (CR stripped) and its 1-based number. */
export function forEachLine(text: string, fn: (line: string, n: number) => void): void {
  let start = 0;
  let n = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    n++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') fn(line, n);
    start = end + 1;
  }
}

export function sendText(reply: FastifyReply, status: number, message: string, retryAfterMs?: number): FastifyReply {
  if (status === 429 || status === 503) reply.header('retry-after', String(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000))));
  return reply.code(status).type('text/plain; charset=utf-8').send(`${capMessage(message)}\n`);
}
