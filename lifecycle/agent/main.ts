import type { Server } from 'node:http';
import type { Logger } from '../../core/index.js';
import { Agent } from './agent.js';
import { Heartbeat } from './heartbeat.js';
import { TelemetryShipper } from './telemetryShipper.js';
import { agentServer } from './server.js';

export interface RunningAgent {
  readonly agent: Agent;
  shutdown(): Promise<void>;
}

export interface AgentOptions {
  readonly settingsFile: string;
  readonly logger: Logger;
  readonly heartbeatMs?: number;
}

/**
 * Boots the agent of one VM: reads its settings, resumes the last applied spec (after a reboot), serves
 * the director on the VM's IP, and sends heartbeats. When the settings name a platform URL, it also ships
 * its job logs there.
 */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const agent = new Agent(opts.settingsFile, opts.logger);
  const settings = agent.settings();
  const secret = settings.agent_secret;
  // Fail safe: an agent without a credential would take orders from anyone who reaches its port.
  if (typeof secret !== 'string' || secret.length === 0)
    throw new Error(`${opts.settingsFile} has no agent_secret: this VM was created before agents were authenticated; recreate it (vigil recreate -d DEPLOYMENT)`);
  const server: Server = agentServer(agent, secret);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.agent_port, settings.ip, () => resolve());
  });
  await agent.resume().catch((err: unknown) => opts.logger.error({ err: (err as Error).message }, 'resuming the last spec failed'));
  const heartbeat = new Heartbeat(`${settings.director_url}/api/v1/director/agents/${settings.agent_id}/heartbeat`, () => agent.state(), opts.heartbeatMs ?? 1000, opts.logger, secret);
  heartbeat.start();
  const platformUrl = settings.env['platform_url'];
  const shipEvery = Number(settings.env['log_ship_interval_ms'] ?? 5000);
  const shipper = typeof platformUrl === 'string' && platformUrl.length > 0 ? new TelemetryShipper(settings.vm_dir, platformUrl, settings, opts.logger, () => agent.state(), () => agent.labels(), shipEvery) : null;
  shipper?.start();
  opts.logger.info({ ip: settings.ip, port: settings.agent_port, vm: settings.vm_cid }, 'agent started');
  let done: Promise<void> | null = null;
  return {
    agent,
    shutdown: () => {
      done ??= (async () => {
        heartbeat.shutdown();
        await shipper?.shutdown();
        await agent.shutdown();
        await new Promise<void>((r) => server.close(() => r()));
      })();
      return done;
    },
  };
}
