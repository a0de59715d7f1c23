import { stepsForCommand } from '../../update/index.js';
import { opsFor, unit } from '../deps.js';
import type { DirectorDeps } from '../deps.js';
import type { TaskContext, TaskHandler } from '../taskQueue.js';

export interface ResurrectArgs {
  readonly deployment: string;
  /** "group/index" of each instance to recreate. */
  readonly instances: readonly string[];
  readonly reason: string;
}

/**
 * The resurrector's task: recreates unhealthy instances from their last applied spec, on their own IPs and
 * persistent disks, all at once (the meltdown guard already bounded how many).
 */
export function resurrectJob(deps: DirectorDeps): TaskHandler {
  return {
    resumable: true,
    async run({ task, report, signal }: TaskContext) {
      const a = task.args as ResurrectArgs;
      report.info('Reason', a.reason);
      const ops = opsFor(deps, signal);
      const failures: string[] = [];
      await Promise.all(
        a.instances.map(async (name, k) => {
          const [group, idx] = name.split('/');
          const rec = deps.store.instance(a.deployment, group ?? '', Number(idx));
          if (rec === null) return;
          await unit(ops, report, 'Recreating unresponsive instance', { deployment: a.deployment, group: rec.group, index: rec.index, desired: null, reason: a.reason }, stepsForCommand('recreate'), {
            index: k + 1,
            total: a.instances.length,
          })
            .run({ minMs: 0, maxMs: 120_000 }, false)
            .catch((err: unknown) => {
              failures.push((err as Error).message);
            });
        }),
      );
      if (failures.length > 0) throw new Error(failures.join('; '));
      return { recreated: a.instances };
    },
  };
}
