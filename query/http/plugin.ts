import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_TENANT, quote, VigilError } from '../../core/index.js';
import { createEngine, tenantQueryable } from '../engine/index.js';
import type { Engine, Queryable, QueryableStore } from '../engine/index.js';
import { toPromError } from './apiError.js';
import { Form } from './params.js';
import { errorJson, successJson } from './promJson.js';
import { createQueryMetrics } from './queryMetrics.js';
import { queryHandler, queryRangeHandler } from './queryRoutes.js';
import { buildInfoHandler, labelNamesHandler, labelValuesHandler, metadataHandler, seriesHandler } from './metadataRoutes.js';
import type { BuildInfo } from './metadataRoutes.js';

export interface PrometheusApiOptions {
  /** Where queries read; only `querier()` is used. */
  readonly store: QueryableStore;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Lookback delta of instant selectors (default 5 minutes). */
  readonly lookbackMs?: number;
  /** Tenant of requests without an X-Scope-OrgID header (default 'default'). */
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
}

/** What every endpoint handler receives: the merged form, the tenant's queryable, the request's deadline. */
export interface ApiContext {
  readonly form: Form;
  readonly tenant: string;
  readonly queryable: Queryable;
  readonly engine: Engine;
  readonly now: () => number;
  readonly queryTimeoutMs: number;
  readonly params: Readonly<Record<string, string>>;
}

/** A handler returns the serialised `data` of the success envelope, and any warnings. */
export interface ApiResult {
  readonly data: string;
  readonly warnings?: readonly string[];
}
export type ApiHandler = (ctx: ApiContext) => Promise<ApiResult>;

// Cortex/Mimir's tenant ID rules: what a tenant may be called anywhere in Vigil's APIs.
const tenantPattern = /^[a-zA-Z0-9!\-_.*'()]{1,150}$/;

/**
 * The Prometheus HTTP API under /api/v1, in Prometheus' exact formats: query, query_range,
 * series, labels, label values, metadata and build info. Register it on the process's server:
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

  // Prometheus reads parameters from the URL and form bodies only; any other body is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: opts.maxBodyBytes ?? 1024 * 1024 }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });

  const send = (reply: FastifyReply, status: number, body: string): FastifyReply =>
    // A Buffer, so that the content type stays exactly Prometheus' (no charset parameter added).
    reply.code(status).header('content-type', 'application/json').send(Buffer.from(body));

  app.setErrorHandler((err, req, reply) => {
    const e = toPromError(err);
    if (e.status >= 500) log.error({ err, url: req.url }, 'prometheus api request failed');
    return send(reply, e.status, errorJson(e.errorType, e.message));
  });

  const route =
    (endpoint: string, handler: ApiHandler) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const started = performance.now();
      let status = 200;
      let body: string;
      try {
        const tenant = tenantOf(req, defaultTenant);
        const ctx: ApiContext = {
          form: formOf(req),
          tenant,
          queryable: tenantQueryable(opts.store, tenant),
          engine,
          now,
          queryTimeoutMs,
          params: (req.params ?? {}) as Record<string, string>,
        };
        const result = await handler(ctx);
        body = successJson(result.data, result.warnings);
      } catch (err) {
        const e = toPromError(err);
        status = e.status;
        body = errorJson(e.errorType, e.message);
        if (status >= 500) log.error({ err, endpoint }, 'prometheus api request failed');
        else log.debug({ endpoint, error: e.message }, 'prometheus api request rejected');
      }
      metrics.observe(endpoint, status, (performance.now() - started) / 1000);
      return send(reply, status, body);
    };

  const both = ['GET', 'POST'] as const;
  app.route({ method: [...both], url: '/api/v1/query', handler: route('query', queryHandler) });
  app.route({ method: [...both], url: '/api/v1/query_range', handler: route('query_range', queryRangeHandler) });
  app.route({ method: [...both], url: '/api/v1/series', handler: route('series', seriesHandler) });
  app.route({ method: [...both], url: '/api/v1/labels', handler: route('labels', labelNamesHandler) });
  app.get('/api/v1/label/:name/values', route('label_values', labelValuesHandler));
  app.get('/api/v1/metadata', route('metadata', metadataHandler));
  app.get('/api/v1/status/buildinfo', route('buildinfo', buildInfoHandler(opts.buildInfo ?? {})));
};

function formOf(req: FastifyRequest): Form {
  const q = req.url.indexOf('?');
  const fromUrl = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
  return req.body instanceof URLSearchParams ? new Form(req.body, fromUrl) : new Form(fromUrl);
}

function tenantOf(req: FastifyRequest, fallback: string): string {
  const header = req.headers['x-scope-orgid'];
  if (header === undefined) return fallback;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!tenantPattern.test(value) || value === '.' || value === '..') {
    throw new VigilError('bad_data', `invalid X-Scope-OrgID ${quote(value)}: up to 150 characters of letters, digits and !-_.*'()`);
  }
  return value;
}
