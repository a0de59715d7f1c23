import { VigilError } from '../../../core/index.js';
import { stepsForAction } from '../../update/index.js';
import { opsFor, unit } from '../deps.js';
import type { DirectorDeps } from '../deps.js';
import type { TaskContext, TaskHandler } from '../taskQueue.js';

/** Deletes every instance (VM and disk), then the deployment's records. Resumable: it only removes what is left. */
export function deleteDeploymentJob(deps: DirectorDeps): TaskHandler {
  return {
    resumable: true,
    async run({ task, report, signal }: TaskContext) {
      const name = (task.args as { deployment: string }).deployment;
      if (deps.store.getDeployment(name) === null) throw new VigilError('not_found', `deployment ${name} does not exist`);
      const ops = opsFor(deps, signal);
      const all = deps.store.instances(name);
      const failures: string[] = [];
      await Promise.all(
        all.map((i, k) =>
          unit(ops, report, 'Deleting instances', { deployment: name, group: i.group, index: i.index, desired: null, reason: null }, stepsForAction('delete'), { index: k + 1, total: all.length })
            .run({ minMs: 0, maxMs: 0 }, false)
            .catch((err: unknown) => {
              failures.push((err as Error).message);
            }),
        ),
      );
      if (failures.length > 0) throw new Error(`could not delete every instance: ${failures.join('; ')}`);
      deps.store.deleteDeployment(name);
      report.info('Deleting deployment', `deployment ${name} deleted`);
      return { deleted: name };
    },
  };
}
