import { VigilError } from '../../../core/index.js';
import { parseManifest } from '../../manifest/index.js';
import type { UpdateConfig } from '../../manifest/index.js';
import { stepsForCommand, updateGroups } from '../../update/index.js';
import type { InstanceCommand } from '../../update/index.js';
import { defaultUpdate, opsFor, unit } from '../deps.js';
import type { DirectorDeps } from '../deps.js';
import type { DirectorStore } from '../store.js';
import type { TaskContext, TaskHandler } from '../taskQueue.js';
import type { InstanceRecord } from '../types.js';

export interface InstanceCommandArgs {
  readonly deployment: string;
  readonly command: InstanceCommand;
  /** "group", "group/index", or null for every instance. */
  readonly target: string | null;
  /** Why, e.g. the alert that asked for healing; written into the task log. */
  readonly reason: string | null;
  /** Healing a single instance skips canaries: there is nothing to compare it with. */
  readonly skipCanaries?: boolean;
}

/** The instances a target names; an unknown group or index is an error naming what exists. */
export function selectInstances(store: DirectorStore, deployment: string, target: string | null): InstanceRecord[] {
  const all = store.instances(deployment);
  if (store.getDeployment(deployment) === null) throw new VigilError('not_found', `deployment ${deployment} does not exist`);
  if (target === null) return all;
  const [group, idx] = target.split('/');
  const picked = all.filter((i) => i.group === group && (idx === undefined || String(i.index) === idx || i.id === idx));
  if (picked.length === 0) {
    const names = all.map((i) => `${i.group}/${i.index}`).join(', ');
    throw new VigilError('not_found', `deployment ${deployment} has no instance matching "${target}" (instances: ${names || 'none'})`);
  }
  return picked;
}

const stageOf: Record<InstanceCommand, string> = {
  recreate: 'Recreating instance',
  restart: 'Restarting instance',
  stop: 'Stopping instance',
  start: 'Starting instance',
};

function updateConfigOf(store: DirectorStore, deployment: string, group: string): UpdateConfig {
  const d = store.getDeployment(deployment);
  if (d === null) return defaultUpdate;
  const m = parseManifest(d.manifest);
  return { ...m.update, ...m.instance_groups.find((g) => g.name === group)?.update };
}

/** recreate | restart | stop | start on some instances, group by group, with the deployment's canaries and max_in_flight. */
export function instanceCommandJob(deps: DirectorDeps): TaskHandler {
  return {
    resumable: false,
    async run({ task, report, signal }: TaskContext) {
      const a = task.args as InstanceCommandArgs;
      const picked = selectInstances(deps.store, a.deployment, a.target);
      if (a.reason !== null) report.info('Reason', a.reason);
      if (a.command === 'stop' || a.command === 'start') {
        for (const i of picked) deps.store.updateInstance(a.deployment, i.group, i.index, { desiredState: a.command === 'stop' ? 'stopped' : 'started' });
      }
      const ops = opsFor(deps, signal);
      const groups = [...new Set(picked.map((i) => i.group))].map((g) => {
        const members = picked.filter((i) => i.group === g);
        const update = updateConfigOf(deps.store, a.deployment, g);
        return {
          name: g,
          size: members.length,
          update: a.skipCanaries === true ? { ...update, canaries: 0 } : update,
          units: members.map((i, k) =>
            unit(ops, report, stageOf[a.command], { deployment: a.deployment, group: i.group, index: i.index, desired: null, reason: a.reason }, stepsForCommand(a.command), {
              index: k + 1,
              total: members.length,
            }),
          ),
        };
      });
      await updateGroups(groups, true);
      return { instances: picked.map((i) => `${i.group}/${i.index}`) };
    },
  };
}
