import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { VigilConfig } from '../core/index.js';
import { createLogTap } from '../collectors/index.js';
import type { LogTap } from '../collectors/index.js';
import { createLogger } from '../core/index.js';
import type { PushPipeline } from '../ingest/index.js';
import { checkListenSafety } from './auth/listenGuard.js';
import { TokenStore, tokensFileOf } from './auth/tokenStore.js';
import type { CredentialVerifier } from '../core/index.js';
import { createHttpServer } from './httpServer.js';
import type { StartedModules } from './moduleGraph.js';
import { resolveModules, startModules } from './moduleGraph.js';
import type { ServiceMap } from './role.js';
import { allRoles, targets } from './roles/index.js';
import { startTracing } from './tracing.js';

export interface Platform {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8470. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly logger: Logger;
  readonly modules: readonly string[];
  /** Stops accepting requests, lets in-flight ones finish, then stops roles in reverse order. */
  stop(): Promise<void>;
}

export interface StartPlatformOptions {
  /** Where logs go besides Vigil's own log pipeline; stdout when absent. */
  readonly logDestination?: DestinationStream;
}

function serviceMap(): ServiceMap {
  const services = new Map<string, unknown>();
  return {
    get<T>(name: string): T {
      if (!services.has(name)) throw new Error(`service "${name}" is not running: start the role that provides it`);
      return services.get(name) as T;
    },
    has: (name) => services.has(name),
    set: (name, s) => void services.set(name, s),
  };
}

/** The composition root: picks implementations, starts the requested roles and the HTTP server. */
export async function startPlatform(config: VigilConfig, opts: StartPlatformOptions = {}): Promise<Platform> {
  const registry = new Registry();
  // Own logs: every line still goes to stdout (or the given destination); with selfLogs on, it is
  // also queued and shipped through the push pipeline once the ingest role is up.
  const tap: LogTap | undefined = config.collectors.selfLogs.enabled
    ? createLogTap({ registry, tenant: config.tenant.default, ...(opts.logDestination === undefined ? {} : { out: opts.logDestination }) })
    : undefined;
  const logger = createLogger(config.log.level, tap?.stream ?? opts.logDestination);
  collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  // Refuse an unauthenticated listener other machines can reach before anything starts.
  const exposure = checkListenSafety(config.http.host, config.auth);
  if (exposure === 'insecure') {
    logger.warn({ host: config.http.host }, 'INSECURE: serving without authentication on a non-loopback address (--insecure-no-auth): anyone who reaches it can read, write and run deployments');
  }
  const tokens = new TokenStore(tokensFileOf(config), (err) =>
    logger.error({ err: err.message }, 'the tokens file became unreadable: still accepting the tokens loaded before; fix or restore the file'),
  );
  if (config.auth.enabled && tokens.size === 0) {
    logger.warn({ tokensFile: tokens.file }, 'authentication is on but no token exists: every request will be refused; create one with `vigil token create`');
  }
  const tls = tlsOf(config);
  const tracing = startTracing(config.tracing.enabled, config.tracing.otlpEndpoint);
  const modules = resolveModules(config.roles, allRoles, targets);

  // Readiness asks the modules, which exist only once they started: the server is built first.
  const state: { modules?: StartedModules } = {};
  const app = createHttpServer({
    logger,
    registry,
    bodyLimit: config.limits.maxRequestBytes,
    maxJsonDepth: config.limits.maxJsonDepth,
    ready: () => state.modules?.ready() ?? false,
    ...(tls === undefined ? {} : { tls }),
    auth: {
      enabled: config.auth.enabled,
      defaultTenant: config.tenant.default,
      publicMetrics: config.auth.publicMetrics,
      // API tokens, then whatever credentials roles add (the director's per-agent secrets).
      verifiers: () => [tokens, ...(services.has('agentCredentials') ? [services.get<CredentialVerifier>('agentCredentials')] : [])],
    },
  });
  const services = serviceMap();
  const started = await startModules(modules, { config, logger, registry, http: app, services }, (name, err) =>
    logger.error({ err, role: name }, 'role failed to stop cleanly'),
  );
  state.modules = started;
  try {
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (err) {
    await started.stop();
    throw new Error(`cannot listen on ${config.http.host}:${config.http.port}: ${(err as Error).message} — pick another --http-port`, { cause: err });
  }
  if (tap !== undefined && services.has('pipeline')) {
    const pipeline = services.get<PushPipeline>('pipeline');
    tap.start((req) => pipeline.push(req));
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  const scheme = tls === undefined ? 'http' : 'https';
  logger.info({ roles: started.names, url: `${scheme}://${host}:${port}`, auth: config.auth.enabled, dataDir: config.dataDir }, 'vigil started');

  let stopping: Promise<void> | undefined;
  return {
    url: `${scheme}://${host}:${port}`,
    app,
    logger,
    modules: started.names,
    stop: () => {
      stopping ??= (async () => {
        logger.info('vigil stopping: draining in-flight requests and batches');
        await app.close();
        await tap?.shutdown(); // ships the last own logs while the pipeline still runs
        await started.stop();
        await tracing.shutdown();
        logger.info('vigil stopped');
      })();
      return stopping;
    },
  };
}

function tlsOf(config: VigilConfig): { key: Buffer; cert: Buffer } | undefined {
  const { cert, key } = config.http.tls;
  if (cert === '' || key === '') return undefined;
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(err as Error).message} (--tls-cert/--tls-key take PEM files)`, { cause: err });
    }
  };
  return { cert: read(cert, 'certificate'), key: read(key, 'key') };
}
