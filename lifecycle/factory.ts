import { join } from 'node:path';
import type { Logger, VigilConfig } from '../core/index.js';
import { HttpAgentTransport } from './agent/index.js';
import { DummyCpi, ProcessCpi } from './cpi/index.js';
import { Director } from './director/index.js';

export interface CreateDirectorOptions {
  readonly config: VigilConfig['director'];
  readonly dataDir: string;
  readonly logger: Logger;
  /** How the process CPI starts an agent, e.g. [node, ...execArgv, 'bin/vigil.ts', 'vm-agent']. */
  readonly agentCommand: readonly string[];
  /** The director's own base URL as agents reach it (heartbeats); read when each VM is created. */
  readonly directorUrl: () => string;
  /** Where agents ship their logs (OTLP/HTTP JSON); none when absent. */
  readonly platformUrl?: string;
  readonly healthIntervalMs?: number;
  /** The tenant agents' log shipping is bound to (normally the platform's tenant.default). */
  readonly agentTenant?: string;
  /** Added to the environment of agents the process CPI starts. */
  readonly agentEnv?: Readonly<Record<string, string>>;
}

/** Builds a director with the CPI the configuration names. The dummy CPI is returned too, for tests. */
export function createDirector(o: CreateDirectorOptions): { director: Director; dummy: DummyCpi | null; processCpi: ProcessCpi | null } {
  const common = {
    dataDir: o.dataDir,
    logger: o.logger,
    network: o.config.network,
    resurrection: o.config.resurrection,
    meltdown: o.config.meltdown,
    heartbeatTimeoutMs: o.config.heartbeatTimeoutMs,
    ...(o.healthIntervalMs !== undefined ? { healthIntervalMs: o.healthIntervalMs } : {}),
    vmEnv: o.platformUrl !== undefined ? { platform_url: o.platformUrl } : {},
    ...(o.agentTenant !== undefined ? { agentTenant: o.agentTenant } : {}),
  };
  if (o.config.cpi === 'dummy') {
    const dummy = new DummyCpi();
    const director = new Director({ ...common, cpi: dummy, agents: dummy });
    dummy.startHeartbeats((id, st) => director.heartbeat(id, st));
    return { director, dummy, processCpi: null };
  }
  const processCpi = new ProcessCpi({ root: join(o.dataDir, 'director', 'cpi'), agentCommand: o.agentCommand, agentPort: o.config.agentPort, directorUrl: o.directorUrl, ...(o.agentEnv !== undefined ? { agentEnv: o.agentEnv } : {}) });
  const director = new Director({ ...common, cpi: processCpi, agents: new HttpAgentTransport(o.config.agentPort) });
  return { director, dummy: null, processCpi };
}
