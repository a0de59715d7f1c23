import type { Logger } from '../../core/index.js';
import type { AgentState } from '../agent/index.js';
import type { DeploymentHealth, HealthEvent, HealthPlugin, InstanceProblem } from './events.js';

export interface MonitoredInstance {
  readonly name: string;
  readonly vmCid: string | null;
  readonly agentId: string | null;
  readonly vmCreatedAt: number | null;
  readonly ignored: boolean;
  readonly desiredState: 'started' | 'stopped';
  /** Has it ever been deployed? An instance that never was is not missing anything. */
  readonly deployed: boolean;
}

/** What the monitor reads; the director provides it. */
export interface MonitorSource {
  deployments(): string[];
  instances(deployment: string): MonitoredInstance[];
  hasVm(vmCid: string): Promise<boolean>;
  lastHeartbeat(agentId: string): { at: number; state: AgentState } | undefined;
}

export interface MonitorOptions {
  readonly source: MonitorSource;
  readonly plugins: readonly HealthPlugin[];
  readonly intervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * The health monitor: every interval it asks the CPI whether each VM exists and checks each agent's last
 * heartbeat, then hands the verdict per deployment to its plugins and reports changes as events. Rounds
 * never overlap; a failing round is logged and the next one runs anyway.
 */
export class HealthMonitor {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private round: Promise<void> = Promise.resolve();
  private readonly startedAt = Date.now();
  private readonly previous = new Map<string, InstanceProblem>();

  constructor(private readonly opts: MonitorOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const p of this.opts.plugins) p.run?.();
    this.schedule();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.round = this.check()
        .catch((err: unknown) => this.opts.logger.warn({ err: (err as Error).message }, 'health round failed'))
        .finally(() => this.schedule());
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  emit(e: HealthEvent): void {
    for (const p of this.opts.plugins) {
      try {
        p.processEvent?.(e);
      } catch (err) {
        this.opts.logger.warn({ plugin: p.name, err: (err as Error).message }, 'health plugin failed');
      }
    }
  }

  private async problemOf(i: MonitoredInstance): Promise<InstanceProblem | null> {
    if (i.ignored || !i.deployed) return null;
    if (i.vmCid === null || !(await this.opts.source.hasVm(i.vmCid))) return 'vm_missing';
    const beat = i.agentId === null ? undefined : this.opts.source.lastHeartbeat(i.agentId);
    const since = Math.max(beat?.at ?? 0, i.vmCreatedAt ?? 0, this.startedAt);
    if (Date.now() - since > this.opts.heartbeatTimeoutMs) return 'unresponsive';
    if (i.desiredState === 'started' && beat?.state.job_state === 'failing') return 'jobs_failing';
    return null;
  }

  /** One round over every deployment; exposed so tests can drive the monitor without waiting. */
  async check(): Promise<void> {
    const { source } = this.opts;
    for (const deployment of source.deployments()) {
      const instances = source.instances(deployment);
      const unhealthy = new Map<string, InstanceProblem>();
      for (const i of instances) {
        const key = `${deployment}:${i.name}`;
        const problem = await this.problemOf(i);
        const before = this.previous.get(key);
        if (problem !== null) {
          unhealthy.set(i.name, problem);
          this.previous.set(key, problem);
          if (before !== problem) this.emit({ at: Date.now(), kind: 'instance_unhealthy', deployment, instance: i.name, problem, message: `${i.name}: ${problem}` });
        } else if (before !== undefined) {
          this.previous.delete(key);
          this.emit({ at: Date.now(), kind: 'instance_recovered', deployment, instance: i.name, problem: null, message: `${i.name} is healthy again` });
        }
      }
      const health: DeploymentHealth = { deployment, total: instances.length, unhealthy };
      for (const p of this.opts.plugins) {
        try {
          p.processHealth?.(health);
        } catch (err) {
          this.opts.logger.warn({ plugin: p.name, err: (err as Error).message }, 'health plugin failed');
        }
      }
    }
  }

  /** Stops the loop and waits for a running round. Idempotent. */
  async shutdown(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
  }
}
