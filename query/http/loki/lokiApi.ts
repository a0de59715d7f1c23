import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Limits } from '../../../core/index.js';
import { capMessage, DEFAULT_MAX_QUERY_LENGTH, DEFAULT_TENANT, requestTenant } from '../../../core/index.js';
import type { Engine, QueryableStore } from '../../engine/index.js';
import { createEngine, tenantQueryable } from '../../engine/index.js';
import { toPromError } from '../apiError.js';
import { Form } from '../params.js';
import { createLokiMetrics } from '../queryMetrics.js';
import { QueryLimiter } from '../queryLimiter.js';
import { requestSignal } from '../requestSignal.js';
import type { Release } from '../semaphore.js';
import type { LokiHandler } from './lokiRoutes.js';
import { registerTail } from './lokiTail.js';
import { indexStatsHandler, labelsHandler, labelValuesHandler, patternsHandler, queryHandler, queryRangeHandler, seriesHandler } from './lokiRoutes.js';

export interface LokiApiOptions {
  readonly store: QueryableStore;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The engine metric queries run on (the query role's, so settings agree with the PromQL API). */
  readonly engine?: Engine;
  readonly defaultTenant?: string;
  /** Upper bound on a request's run time (default 2 minutes). */
  readonly queryTimeoutMs?: number;
  /** Per-tenant query concurrency and queue (query/http/queryLimiter.ts), and maxQueryLength. */
  readonly limits?: Limits;
  /** Most log lines one metric query may turn into samples (default 50 million). */
  readonly maxSamples?: number;
  readonly now?: () => number;
  /** How often /tail looks for new lines (default 1 s; tests shorten it). */
  readonly tailPollMs?: number;
}

const both = ['GET', 'POST'] as const;

/** Every endpoint: path under /loki/api/v1, methods, metrics label, handler. */
const routes: readonly { path: string; methods: readonly ('GET' | 'POST')[]; endpoint: string; handler: LokiHandler }[] = [
  { path: '/query', methods: both, endpoint: 'loki_query', handler: queryHandler },
  { path: '/query_range', methods: both, endpoint: 'loki_query_range', handler: queryRangeHandler },
  { path: '/labels', methods: both, endpoint: 'loki_labels', handler: labelsHandler },
  { path: '/label', methods: both, endpoint: 'loki_labels', handler: labelsHandler },
  { path: '/label/:name/values', methods: both, endpoint: 'loki_label_values', handler: labelValuesHandler },
  { path: '/series', methods: both, endpoint: 'loki_series', handler: seriesHandler },
  { path: '/index/stats', methods: both, endpoint: 'loki_index_stats', handler: indexStatsHandler },
  { path: '/patterns', methods: both, endpoint: 'loki_patterns', handler: patternsHandler },
];

/**
 * Loki's read API under /loki/api/v1 (query, query_range, labels, label values, series,
 * index/stats, patterns, and tail when the server speaks WebSocket) in Loki's JSON, so that Grafana's Loki data source and logcli work unchanged.
 * Errors are plain text with the status, as Loki answers them. Register it inside the `read`
 * auth scope; tenant, limits and cancellation work as in the Prometheus API.
 */
export const lokiApi: FastifyPluginAsync<LokiApiOptions> = async (app, opts) => {
  const engine = opts.engine ?? createEngine();
  const defaultTenant = opts.defaultTenant ?? DEFAULT_TENANT;
  const now = opts.now ?? Date.now;
  const queryTimeoutMs = opts.queryTimeoutMs ?? 2 * 60 * 1000;
  const metrics = createLokiMetrics(opts.registry);
  const limiter = opts.limits === undefined ? undefined : new QueryLimiter(opts.limits);
  const maxQueryLength = opts.limits?.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH;
  const maxSamples = opts.maxSamples ?? 50_000_000;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });
  app.setErrorHandler((err, _req, reply) => {
    const e = toPromError(err);
    return reply.code(e.status).header('content-type', 'text/plain; charset=utf-8').send(e.message);
  });

  const route =
    (endpoint: string, handler: LokiHandler) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const started = performance.now();
      let status = 200;
      let body: string;
      let release: Release | undefined;
      try {
        const tenant = requestTenant(req, defaultTenant);
        const signal = requestSignal(reply, queryTimeoutMs);
        if (limiter !== undefined) release = await limiter.acquire(tenant, signal);
        body = await handler({ form: formOf(req), params: (req.params ?? {}) as Record<string, string>, logs: tenantQueryable(opts.store, tenant), engine, now, signal, maxQueryLength, maxSamples });
      } catch (err) {
        const e = toPromError(err);
        status = e.status;
        body = capMessage(e.message);
        if (status >= 500) opts.logger.error({ err, endpoint }, 'loki api request failed');
      } finally {
        release?.();
      }
      metrics.observe(endpoint, status, (performance.now() - started) / 1000);
      const type = status === 200 ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
      return reply.code(status).header('content-type', type).send(body);
    };

  // Live tail needs the server's WebSocket support (registered once, at the root, by bin/httpServer.ts).
  if (app.hasDecorator('websocketServer')) registerTail(app, { store: opts.store, defaultTenant, maxQueryLength, ...(opts.now === undefined ? {} : { now: opts.now }), ...(opts.tailPollMs === undefined ? {} : { pollMs: opts.tailPollMs }) });

  for (const r of routes) app.route({ method: [...r.methods], url: `/loki/api/v1${r.path}`, handler: route(r.endpoint, r.handler) });
};

function formOf(req: FastifyRequest): Form {
  const q = req.url.indexOf('?');
  const fromUrl = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
  return req.body instanceof URLSearchParams ? new Form(req.body, fromUrl) : new Form(fromUrl);
}
