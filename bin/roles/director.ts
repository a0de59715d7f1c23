import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createDirector, directorApi, directorApiPrefix } from '../../lifecycle/index.js';
import { agentCommand } from '../commands/agentCommand.js';
import type { Role, RunningRole } from '../role.js';
import { scoped } from '../auth/routeScope.js';

/**
 * The lifecycle director as a role of `vigil start`: its API on the process's HTTP server under
 * /api/v1/director, its task queue and its health monitor (resurrector). VMs' agents heartbeat to, and
 * ship logs (OTLP/HTTP JSON /v1/logs) to, this same server.
 */
export const directorRole: Role = {
  name: 'director',
  dependsOn: [],
  async start(ctx): Promise<RunningRole> {
    if (!ctx.config.director.enabled) return { stop: async () => undefined, ready: () => true };
    // Agents reach this server on loopback, over TLS when the listener speaks it: they then trust the
    // listener's own certificate (which must name 127.0.0.1, or http.host when that is loopback).
    const tls = ctx.config.http.tls;
    const scheme = tls.cert === '' ? 'http' : 'https';
    const listen = ctx.config.http.host === '0.0.0.0' || ctx.config.http.host === '::' ? '127.0.0.1' : ctx.config.http.host;
    const host = listen.includes(':') ? `[${listen}]` : listen; // an IPv6 address in a URL is bracketed
    const selfUrl = (): string => {
      const addr = ctx.http.server.address() as AddressInfo | null;
      return `${scheme}://${host}:${addr?.port ?? ctx.config.http.port}`;
    };
    const { director, dummy } = createDirector({
      config: ctx.config.director,
      dataDir: ctx.config.dataDir,
      logger: ctx.logger.child({ role: 'director' }),
      agentCommand: agentCommand(),
      directorUrl: selfUrl,
      platformUrl: `${scheme}://${host}:${ctx.config.http.port}`,
      agentTenant: ctx.config.tenant.default,
      ...(tls.cert === '' ? {} : { agentEnv: { NODE_EXTRA_CA_CERTS: resolve(tls.cert) } }),
    });
    await ctx.http.register(scoped('lifecycle', directorApi), { prefix: directorApiPrefix, director, maxJsonDepth: ctx.config.limits.maxJsonDepth });
    director.start();
    ctx.services.set('director', director);
    // Agents authenticate their heartbeats and log shipping with their own per-VM secrets.
    ctx.services.set('agentCredentials', director.agentCredentials());
    let stopping: Promise<void> | null = null;
    return {
      stop: () =>
        (stopping ??= (async () => {
          dummy?.stopHeartbeats();
          await director.shutdown();
        })()),
      ready: () => true,
    };
  },
};
