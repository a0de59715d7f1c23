import type { DeploymentHealth, HealthEvent, HealthPlugin } from './events.js';
import { inMeltdown } from './meltdown.js';

export interface ResurrectorOptions {
  readonly enabled: () => boolean;
  /** A count or a share such as '50%'. */
  readonly meltdown: number | string;
  /** Whether the deployment already has a queued or running task (its lock is taken). */
  readonly busy: (deployment: string) => boolean;
  /** Queues the recreate task; returns its id. */
  readonly resurrect: (deployment: string, instances: readonly string[], reason: string) => number;
  readonly emit: (e: HealthEvent) => void;
}

/**
 * Recreates instances whose VM vanished or whose agent went silent. Failing jobs are not its business:
 * the agent restarts processes itself. Waits while the deployment is locked; stops in a meltdown.
 */
export class ResurrectorPlugin implements HealthPlugin {
  readonly name = 'resurrector';

  constructor(private readonly opts: ResurrectorOptions) {
    if (typeof opts.meltdown === 'string' && !/^\d{1,3}%$/.test(opts.meltdown)) throw new Error(`resurrector: meltdown "${opts.meltdown}" is neither a count nor a percentage`);
  }

  processHealth(h: DeploymentHealth): void {
    const dead = [...h.unhealthy].filter(([, p]) => p === 'vm_missing' || p === 'unresponsive').map(([i]) => i);
    if (dead.length === 0 || !this.opts.enabled()) return;
    const base = { at: Date.now(), deployment: h.deployment, instance: null, problem: null };
    if (inMeltdown(h.unhealthy.size, h.total, this.opts.meltdown)) {
      this.opts.emit({ ...base, kind: 'meltdown', message: `${h.unhealthy.size} of ${h.total} instances unhealthy (limit ${this.opts.meltdown}): not resurrecting; run vigil cck -d ${h.deployment}` });
      return;
    }
    if (this.opts.busy(h.deployment)) return;
    const reason = `resurrector: ${dead.map((i) => `${i} ${h.unhealthy.get(i) ?? ''}`).join(', ')}`;
    const id = this.opts.resurrect(h.deployment, dead, reason);
    this.opts.emit({ ...base, kind: 'resurrection_requested', message: `task ${id}: recreating ${dead.join(', ')}` });
  }
}
