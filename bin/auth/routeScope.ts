import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Scope } from '../../core/index.js';

interface ScopedConfig {
  scope?: Scope;
}

/**
 * A route group: every route `plugin` registers needs `scope` (unless the route declares its own
 * `config.scope`, as the lifecycle agents' heartbeat does). The wrapper is an encapsulated plugin,
 * so the scope reaches only this group's routes.
 */
export function scoped<O extends object>(scope: Scope, plugin: FastifyPluginAsync<O>): FastifyPluginAsync<O> {
  return async (app: FastifyInstance, opts: O) => {
    app.addHook('onRoute', (route) => {
      const config = (route.config ?? {}) as ScopedConfig;
      if (config.scope === undefined) route.config = { ...config, scope } as typeof route.config;
    });
    // The prefix (if any) already applies to this wrapper's scope; passing it on would double it.
    const { prefix: _prefix, ...inner } = opts as O & { prefix?: string };
    await app.register(plugin, inner as O);
  };
}

/** The scope the matched route needs; undefined for routes outside every group (and for 404s). */
export function routeScope(req: FastifyRequest): Scope | undefined {
  return (req.routeOptions.config as ScopedConfig | undefined)?.scope;
}
