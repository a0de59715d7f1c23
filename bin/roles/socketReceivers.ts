import { readFileSync } from 'node:fs';
import type { PushPipeline } from '../../ingest/index.js';
import { PlaintextReceiver, SyslogReceiver } from '../../ingest/index.js';
import { checkCredentiallessListener } from '../auth/listenGuard.js';
import type { RoleContext } from '../role.js';

interface Stoppable {
  shutdown(): Promise<void>;
}

/**
 * The receivers that listen on their own ports (syslog, Graphite, Wavefront; each only when given a port), loopback by
 * default: a protocol without credentials on another address needs --insecure-no-auth.
 * Returns what to stop, in order, or throws (after stopping what started) when a port is taken.
 */
export async function startSocketReceivers(ctx: RoleContext, pipeline: PushPipeline): Promise<Stoppable[]> {
  const { config } = ctx;
  const tenant = config.tenant.default;
  const started: Stoppable[] = [];
  const syslog = config.ingest.syslog;
  try {
    if (syslog.port > 0) {
      const logger = ctx.logger.child({ component: 'syslog' });
      guard(ctx, syslog.host, 'syslog');
      const tls = syslog.tls.cert === '' ? undefined : { cert: readPem(syslog.tls.cert, 'certificate'), key: readPem(syslog.tls.key, 'key') };
      const receiver = new SyslogReceiver({
        pipeline,
        tenant,
        host: syslog.host,
        port: syslog.port,
        ...(tls === undefined ? {} : { tls }),
        maxMessageBytes: syslog.maxMessageBytes,
        maxConnections: syslog.maxConnections,
        registry: ctx.registry,
        logger,
      });
      await receiver.start();
      started.push(receiver);
      logger.info({ host: syslog.host, port: receiver.port, tcp: true, udp: tls === undefined, tls: tls !== undefined }, 'syslog receiver listening');
    }
    for (const format of ['graphite', 'wavefront'] as const) {
      const c = config.ingest[format];
      if (c.port === 0) continue;
      const logger = ctx.logger.child({ component: format });
      guard(ctx, c.host, format);
      const receiver = new PlaintextReceiver({ format, pipeline, tenant, host: c.host, port: c.port, maxLineBytes: c.maxMessageBytes, maxConnections: c.maxConnections, registry: ctx.registry, logger });
      await receiver.start();
      started.push(receiver);
      logger.info({ host: c.host, port: receiver.port }, `${format} receiver listening on TCP`);
    }
  } catch (err) {
    for (const s of started.reverse()) await s.shutdown();
    throw err;
  }
  return started;
}

function guard(ctx: RoleContext, host: string, what: string): void {
  if (checkCredentiallessListener(host, ctx.config.auth.insecureNoAuth, what) === 'insecure') {
    ctx.logger.warn({ host }, `INSECURE: ${what} listens on a non-loopback address without credentials (--insecure-no-auth): anyone who reaches it can write`);
  }
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the syslog TLS ${what} ${file}: ${(err as Error).message} (--syslog-tls-cert/--syslog-tls-key take PEM files)`, { cause: err });
  }
}
