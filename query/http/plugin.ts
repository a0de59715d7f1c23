import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Limits } from '../../core/index.js';
import { DEFAULT_MAX_QUERY_LENGTH, DEFAULT_TENANT, requestTenant } from '../../core/index.js';
import { createEngine, tenantQueryable } from '../engine/index.js';
import type { Engine, QueryableStore } from '../engine/index.js';
import type { Store } from '../../storage/index.js';
import type { ApiContext, ApiHandler } from './apiContext.js';
import { toPromError } from './apiError.js';
import { Form } from './params.js';
import { errorJson, successJson } from './promJson.js';
import { createQueryMetrics } from './queryMetrics.js';
import { requestTimeoutMs } from './queryRoutes.js';
import { QueryLimiter } from './queryLimiter.js';
import type { Release } from './semaphore.js';
import { requestSignal } from './requestSignal.js';
import { apiRoutes } from './routes.js';
import type { BuildInfo } from './statusRoutes.js';
import type { RulesView } from './rulesView.js';

export interface PrometheusApiOptions {
  /** Where queries read: `querier()`, and `cardinality()` for /status/tsdb when the store has it. */
  readonly store: QueryableStore & Partial<Pick<Store, 'cardinality'>>;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Lookback delta of instant selectors (default 5 minutes). */
  readonly lookbackMs?: number;
  /** Tenant of requests that neither the platform's auth hook nor X-Scope-OrgID names (default 'default'). */
  readonly defaultTenant?: string;
  /** Upper bound on a query's run time; a smaller `timeout` parameter wins (default 2 minutes). */
  readonly queryTimeoutMs?: number;
  /** Most samples one query may load (default 50 million). */
  readonly maxSamples?: number;
  /** Largest form-encoded body accepted (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** The clock used when /query has no `time` (tests pin it). */
  readonly now?: () => number;
  /** What /status/buildinfo reports (Grafana reads `version` to pick features). */
  readonly buildInfo?: Partial<BuildInfo>;
  /** Evaluates queries; defaults to createEngine({ lookbackDeltaMs: lookbackMs, maxSamples }). */
  readonly engine?: Engine;
  /**
   * Per-tenant query limits (maxQueryConcurrency, maxQueryQueue, maxSamplesPerQuery and
   * limits.tenants overrides; query/http/queryLimiter.ts). Without them queries are not limited
   * per tenant and maxSamples applies.
   */
  readonly limits?: Limits;
  /** store.retentionMs, reported by /status/flags and /status/runtimeinfo. */
  readonly retentionMs?: number;
  /**
   * What /api/v1/rules and /api/v1/alerts show: the rule evaluator's view, looked up per request
   * (the evaluator starts after the API). Without one, both answer empty lists.
   */
  readonly rules?: () => RulesView | undefined;
}

/**
 * The Prometheus HTTP API under /api/v1, in Prometheus' exact formats: every endpoint of
 * routes.ts (query, query_range, series, labels, label values, metadata, format_query, status
 * and the empty answers Grafana probes for). Register it on the process's server:
 * `app.register(prometheusApi, options)`. It owns its scope: a form-body parser and an error
 * handler that answers in Prometheus' error envelope.
 */
export const prometheusApi: FastifyPluginAsync<PrometheusApiOptions> = async (app, opts) => {
  const engine = opts.engine ?? createEngine({ lookbackDeltaMs: opts.lookbackMs, maxSamples: opts.maxSamples });
  const defaultTenant = opts.defaultTenant ?? DEFAULT_TENANT;
  const now = opts.now ?? Date.now;
  const queryTimeoutMs = opts.queryTimeoutMs ?? 2 * 60 * 1000;
  const metrics = createQueryMetrics(opts.registry);
  const log = opts.logger;
  const limiter = opts.limits === undefined ? undefined : new QueryLimiter(opts.limits);
  const cardinality = opts.store.cardinality?.bind(opts.store);
  const maxQueryLength = opts.limits?.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH;

  // Prometheus reads parameters from the URL and form bodies only; any other body is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: opts.maxBodyBytes ?? 1024 * 1024 }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });

  const send = (reply: FastifyReply, status: number, body: string, retryAfterMs?: number): FastifyReply => {
    if (retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    // A Buffer, so that the content type stays exactly Prometheus' (no charset parameter added).
    return reply.code(status).header('content-type', 'application/json').send(Buffer.from(body));
  };

  app.setErrorHandler((err, req, reply) => {
    const e = toPromError(err);
    if (e.status >= 500) log.error({ err, url: req.url }, 'prometheus api request failed');
    return send(reply, e.status, errorJson(e.errorType, e.message), e.retryAfterMs);
  });

  /** `limited`: the endpoint takes one of the tenant's query slots while it runs. */
  const route =
    (endpoint: string, handler: ApiHandler, limited = false) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const started = performance.now();
      let status = 200;
      let body: string;
      let retryAfterMs: number | undefined;
      let release: Release | undefined;
      try {
        // The platform's auth hook decides the tenant (token, else header); the store binds every read to it.
        const tenant = requestTenant(req, defaultTenant);
        const form = formOf(req);
        const maxSamples = limiter?.maxSamples(tenant);
        const maxSeries = limiter?.maxSeries(tenant);
        // Query endpoints honour the `timeout` parameter; the others run under the server's limit.
        const signal = requestSignal(reply, limited ? requestTimeoutMs(form, queryTimeoutMs) : queryTimeoutMs);
        const ctx: ApiContext = {
          form,
          tenant,
          queryable: tenantQueryable(opts.store, tenant),
          engine,
          now,
          queryTimeoutMs,
          params: (req.params ?? {}) as Record<string, string>,
          signal,
          maxQueryLength,
          ...(maxSamples === undefined ? {} : { maxSamples }),
          ...(maxSeries === undefined ? {} : { maxSeries }),
          ...(cardinality === undefined ? {} : { cardinality: (limit: number) => cardinality(tenant, limit) }),
          ...(opts.rules === undefined ? {} : { rules: opts.rules }),
        };
        if (limited && limiter !== undefined) release = await limiter.acquire(tenant, signal);
        const result = await handler(ctx);
        body = successJson(result.data, result.warnings);
      } catch (err) {
        const e = toPromError(err);
        status = e.status;
        body = errorJson(e.errorType, e.message);
        retryAfterMs = e.retryAfterMs;
        if (status >= 500) log.error({ err, endpoint }, 'prometheus api request failed');
        else log.debug({ endpoint, error: e.message }, 'prometheus api request rejected');
      } finally {
        release?.();
      }
      metrics.observe(endpoint, status, (performance.now() - started) / 1000);
      return send(reply, status, body, retryAfterMs);
    };

  const status = {
    lookbackMs: engine.lookbackDeltaMs,
    queryTimeoutMs,
    maxSamples: opts.maxSamples ?? 50_000_000,
    startedAt: new Date(now()),
    ...(opts.buildInfo === undefined ? {} : { buildInfo: opts.buildInfo }),
    ...(opts.retentionMs === undefined ? {} : { retentionMs: opts.retentionMs }),
  };
  for (const r of apiRoutes(status)) {
    app.route({ method: [...r.methods], url: `/api/v1${r.path}`, handler: route(r.endpoint, r.handler, r.limited) });
  }
};

function formOf(req: FastifyRequest): Form {
  const q = req.url.indexOf('?');
  const fromUrl = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
  return req.body instanceof URLSearchParams ? new Form(req.body, fromUrl) : new Form(fromUrl);
}
