import type { Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import helmet from '@fastify/helmet';
import websocket from '@fastify/websocket';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import type { CredentialVerifier } from '../core/index.js';
import { capMessage, DEFAULT_MAX_JSON_DEPTH, httpStatusOf, isVigilError, safeJsonBodyParser } from '../core/index.js';
import { installAuthentication } from './auth/authenticate.js';
import { scoped } from './auth/routeScope.js';

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly bodyLimit: number;
  /** Readiness: GET /-/ready answers 200 only while this returns true. */
  readonly ready: () => boolean;
  /** PEM key and certificate: the server speaks HTTPS only. */
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  readonly auth: {
    readonly enabled: boolean;
    readonly defaultTenant: string;
    readonly verifiers: () => readonly CredentialVerifier[];
    /** GET /metrics without a token. */
    readonly publicMetrics: boolean;
  };
  /** Deepest JSON body accepted (limits.maxJsonDepth); deeper ones get a 400 naming the path. */
  readonly maxJsonDepth?: number;
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
}

/** The routes registered on a server made by createHttpServer, in registration order. */
export function registeredRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return (app as unknown as { vigilRoutes: RouteEntry[] }).vigilRoutes;
}

/** Routes anyone may call, also with authentication on: a load balancer's probes. */
export const PUBLIC_ROUTES: readonly string[] = ['/-/healthy', '/-/ready'];

/**
 * The app factory: one fastify instance for every role's routes, apart from listen() so tests
 * can use inject(). Routes and plugins of a role carry their own error formats (OTLP, Prometheus);
 * this handler is the fallback, and the one place VigilError codes become HTTP statuses.
 */
export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit,
    forceCloseConnections: 'idle',
    ...(opts.tls === undefined ? {} : { https: { key: opts.tls.key, cert: opts.tls.cert } }),
  }) as unknown as FastifyInstance;

  // Security headers on every answer (nosniff, frame denial, no referrer, a strict CSP for what is
  // all JSON today); HSTS only when this listener speaks TLS itself.
  void app.register(helmet, {
    global: true,
    hsts: opts.tls !== undefined,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
  });

  // WebSocket routes (Loki's /tail) for every role; registered once here because the plugin
  // handles the server's 'upgrade' event, which two registrations would both claim.
  void app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  // Every route any role registers, for the test that walks them all (a route must not forget auth).
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.decorate('vigilRoutes', routes);

  const publicRoutes = new Set(PUBLIC_ROUTES);
  if (opts.auth.publicMetrics) publicRoutes.add('/metrics');
  installAuthentication(app, {
    enabled: opts.auth.enabled,
    defaultTenant: opts.auth.defaultTenant,
    verifiers: opts.auth.verifiers,
    publicRoutes,
    refused: new Counter({
      name: 'vigil_http_auth_refused_total',
      help: 'Requests refused by authentication (missing or invalid credential) or authorisation (scope, tenant)',
      labelNames: ['reason'],
      registers: [opts.registry],
    }),
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
    if (status >= 500) {
      // The detail (paths, database errors) goes to the log, not to the client.
      req.log.error({ err }, 'request failed');
      return reply.code(status).send({ status: 'error', errorType: 'internal', error: 'internal error (see the server log)' });
    }
    return reply.code(status).send({ status: 'error', errorType: 'bad_data', error: capMessage(err.message) });
  });

  app.get('/-/healthy', async () => 'Vigil is Healthy.\n');
  app.get('/-/ready', async (_req, reply) => {
    if (opts.ready()) return reply.send('Vigil is Ready.\n');
    return reply.code(503).send('Vigil is not ready.\n');
  });
  // Vigil's own metrics are for operators and scrapers with a read token (or public when configured).
  void app.register(
    scoped('read', async (group) => {
      group.get('/metrics', async (_req, reply) => {
        const body = await opts.registry.metrics();
        return reply.header('Content-Type', opts.registry.contentType).send(body);
      });
    }),
  );
  return app;
}
