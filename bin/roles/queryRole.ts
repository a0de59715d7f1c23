import { prometheusApi } from '../../query/index.js';
import type { Store } from '../../storage/index.js';
import type { Role } from '../role.js';
import { scoped } from '../auth/routeScope.js';

/** The Prometheus-compatible HTTP query API over the store. */
export const queryRole: Role = {
  name: 'query',
  dependsOn: ['store'],
  async start(ctx) {
    await ctx.http.register(scoped('read', prometheusApi), {
      store: ctx.services.get<Store>('store'),
      lookbackMs: 5 * 60_000,
      defaultTenant: ctx.config.tenant.default,
      // Per-tenant query concurrency, queue and samples per query (limits.* and limits.tenants).
      limits: ctx.config.limits,
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'query' }),
    });
    return { stop: async () => undefined };
  },
};
