import type { AgentExporter } from '../../collectors/index.js';
import { createNodeAgent } from '../../collectors/index.js';
import type { PushPipeline } from '../../ingest/index.js';
import { inProcessDecoder } from '../../ingest/index.js';
import type { Role } from '../role.js';

/**
 * Watches this machine from the first start: the node agent (`vigil agent`) running in-process,
 * host and container metrics every collectors.host.intervalMs. Its OTLP requests go through the
 * same decoder and pipeline as an external agent's (so names, limits and metrics are the same),
 * without HTTP.
 */
export const collectorRole: Role = {
  name: 'collector',
  dependsOn: ['ingest'],
  async start(ctx) {
    const pipeline = ctx.services.get<PushPipeline>('pipeline');
    const cfg = ctx.config.collectors.host;
    if (!cfg.enabled) return { stop: async () => undefined };
    const tenant = ctx.config.tenant.default;
    const exporter: AgentExporter = {
      async export(signal, body) {
        const prepared = await inProcessDecoder.decode({ signal, encoding: 'json', contentEncoding: undefined, tenant, body: Buffer.from(JSON.stringify(body)), ...pipeline.context() });
        await pipeline.publish(prepared);
        return true;
      },
    };
    const agent = createNodeAgent({
      exporter,
      intervalMs: cfg.intervalMs,
      job: 'vigil-host',
      cgroupRoot: '/sys/fs/cgroup',
      registry: ctx.registry,
      logger: ctx.logger.child({ component: 'host-collector' }),
    });
    await agent.start();
    return { stop: () => agent.shutdown() };
  },
};
