import type { Engine, RulesView } from '../../query/index.js';
import { createEngine, eventsApi, lokiApi, prometheusApi } from '../../query/index.js';
import type { Store } from '../../storage/index.js';
import type { Role } from '../role.js';
import { scoped } from '../auth/routeScope.js';

/** Prometheus' default --query.lookback-delta. */
const LOOKBACK_MS = 5 * 60_000;

/**
 * The PromQL engine and the Prometheus- and Loki-compatible HTTP query APIs over the store. The engine is
 * built here, once, and registered as the service 'engine', so that later users (rule
 * evaluation, alerting) evaluate with the same engine and settings as the API.
 */
export const queryRole: Role = {
  name: 'query',
  dependsOn: ['store'],
  async start(ctx) {
    const engine: Engine = createEngine({ lookbackDeltaMs: LOOKBACK_MS });
    ctx.services.set('engine', engine);
    await ctx.http.register(scoped('read', prometheusApi), {
      store: ctx.services.get<Store>('store'),
      engine,
      defaultTenant: ctx.config.tenant.default,
      // Per-tenant query concurrency, queue and samples per query (limits.* and limits.tenants).
      limits: ctx.config.limits,
      retentionMs: ctx.config.store.retentionMs,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'query' }),
      // The rule evaluator starts after this role; the API asks for its view per request.
      rules: () => (ctx.services.has('rulesView') ? ctx.services.get<RulesView>('rulesView') : undefined),
    });
    // Loki's read API over the stored logs, in the same `read` scope; metric queries use the same engine.
    await ctx.http.register(scoped('read', lokiApi), {
      store: ctx.services.get<Store>('store'),
      engine,
      defaultTenant: ctx.config.tenant.default,
      limits: ctx.config.limits,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'loki-query' }),
    });
    // Stored events (time range, namespace, involved object, reason, type; paged by cursor).
    await ctx.http.register(scoped('read', eventsApi), { store: ctx.services.get<Store>('store'), defaultTenant: ctx.config.tenant.default });
    return { stop: async () => undefined };
  },
};
