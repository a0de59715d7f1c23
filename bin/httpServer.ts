import type { Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { capMessage, DEFAULT_MAX_JSON_DEPTH, httpStatusOf, isVigilError, safeJsonBodyParser } from '../core/index.js';

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly bodyLimit: number;
  /** Readiness: GET /-/ready answers 200 only while this returns true. */
  readonly ready: () => boolean;
  /** Deepest JSON body accepted (limits.maxJsonDepth); deeper ones get a 400 naming the path. */
  readonly maxJsonDepth?: number;
}

/**
 * The app factory: one fastify instance for every role's routes, apart from listen() so tests
 * can use inject(). Routes and plugins of a role carry their own error formats (OTLP, Prometheus);
 * this handler is the fallback, and the one place VigilError codes become HTTP statuses.
 */
export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger.child({ component: 'http' }) as FastifyBaseLogger,
    disableRequestLogging: true,
    bodyLimit: opts.bodyLimit,
    forceCloseConnections: 'idle',
  });
  // Every JSON body of every role (plugins that keep fastify's parser inherit this one) is
  // depth-checked before it is parsed: deep nesting is a 400 naming the path, never a stack overflow.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, safeJsonBodyParser({ maxDepth: opts.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH }));

  // One server span per request, for every role's routes; a no-op unless tracing is enabled.
  const tracer = trace.getTracer('vigil.http');
  const spans = new WeakMap<object, Span>();
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url ?? 'unmatched';
    spans.set(req, tracer.startSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route } }));
  });
  app.addHook('onResponse', async (req, reply) => {
    const span = spans.get(req);
    if (span === undefined) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (isVigilError(err)) {
      if (err.retryAfterMs !== undefined) void reply.header('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
      return reply.code(httpStatusOf(err.code)).send({ status: 'error', errorType: err.code, error: capMessage(err.message) });
    }
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.code(status).send({ status: 'error', errorType: status >= 500 ? 'internal' : 'bad_data', error: capMessage(err.message) });
  });

  app.get('/-/healthy', async () => 'Vigil is Healthy.\n');
  app.get('/-/ready', async (_req, reply) => {
    if (opts.ready()) return reply.send('Vigil is Ready.\n');
    return reply.code(503).send('Vigil is not ready.\n');
  });
  app.get('/metrics', async (_req, reply) => {
    const body = await opts.registry.metrics();
    return reply.header('Content-Type', opts.registry.contentType).send(body);
  });
  return app;
}
