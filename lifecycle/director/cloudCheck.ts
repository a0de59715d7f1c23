import { VigilError } from '../../core/index.js';
import type { Step } from '../update/index.js';
import { deleteVm, stepsForCommand, stopJobs } from '../update/index.js';
import type { DirectorDeps } from './deps.js';
import type { InstanceRecord } from './types.js';

export type ProblemType = 'missing_vm' | 'unresponsive_agent' | 'missing_disk';

/** A drift between the director's records and reality: data, with the named ways to resolve it. */
export interface Problem {
  readonly id: string;
  readonly type: ProblemType;
  readonly instance: string;
  readonly description: string;
  /** Names of the resolutions; the first is the default (`vigil cck --auto`). */
  readonly resolutions: readonly string[];
}

/** What each resolution does to the instance, as steps or a record change. */
export const resolutionCatalogue: Readonly<Record<ProblemType, Readonly<Record<string, string>>>> = {
  missing_vm: {
    recreate_vm: 'create a new VM with the last applied spec and the same persistent disk',
    delete_vm_reference: 'forget the VM; the next deploy creates one',
    ignore: 'leave it; the health monitor stops healing this instance',
  },
  unresponsive_agent: {
    reboot_vm: 'restart the VM in place',
    recreate_vm: 'replace the VM, keeping the persistent disk',
    delete_vm: 'delete the VM; the next deploy creates one',
    ignore: 'leave it; the health monitor stops healing this instance',
  },
  missing_disk: {
    delete_disk_reference: 'forget the disk; the next recreate creates an empty one',
    ignore: 'leave it as it is',
  },
};

function problem(type: ProblemType, i: InstanceRecord, description: string): Problem {
  const instance = `${i.group}/${i.index}`;
  return { id: `${type}:${instance}`, type, instance, description, resolutions: Object.keys(resolutionCatalogue[type]) };
}

/** Looks at every instance of a deployment: does its VM exist, does its agent answer, is its disk there. */
export async function scanProblems(deps: DirectorDeps, deployment: string): Promise<Problem[]> {
  if (deps.store.getDeployment(deployment) === null) throw new VigilError('not_found', `deployment ${deployment} does not exist`);
  const out: Problem[] = [];
  for (const i of deps.store.instances(deployment)) {
    if (i.vmCid === null || !(await deps.cpi.hasVm(i.vmCid))) {
      out.push(problem('missing_vm', i, i.vmCid === null ? 'instance has no VM' : `VM ${i.vmCid} does not exist`));
    } else if (i.agentId !== null) {
      try {
        await deps.agents.client({ agentId: i.agentId, ip: i.ip, vmCid: i.vmCid }).getState(2000);
      } catch (err) {
        out.push(problem('unresponsive_agent', i, `agent on ${i.vmCid} does not answer: ${(err as Error).message}`));
      }
    }
    if (i.diskCid !== null && !(await deps.cpi.hasDisk(i.diskCid))) out.push(problem('missing_disk', i, `persistent disk ${i.diskCid} does not exist`));
  }
  return out;
}

const forgetVm: Step = {
  name: 'forget VM',
  async perform(ops, w) {
    ops.store.updateInstance(w.deployment, w.group, w.index, { vmCid: null, agentId: null, vmCreatedAt: null });
  },
};

const forgetDisk: Step = {
  name: 'forget disk',
  async perform(ops, w) {
    ops.store.updateInstance(w.deployment, w.group, w.index, { diskCid: null });
  },
};

const markIgnored: Step = {
  name: 'ignore',
  async perform(ops, w) {
    ops.store.updateInstance(w.deployment, w.group, w.index, { ignored: true });
  },
};

const reboot: Step = {
  name: 'reboot VM',
  async perform(ops, w) {
    const r = ops.store.instance(w.deployment, w.group, w.index);
    if (r?.vmCid != null) await ops.cpi.rebootVm(r.vmCid);
  },
};

/** The steps of a resolution; an unknown name is an error listing the known ones. */
export function stepsForResolution(type: ProblemType, resolution: string): readonly Step[] {
  if (!(resolution in resolutionCatalogue[type]))
    throw new VigilError('bad_data', `problem type ${type} has no resolution "${resolution}" (choose: ${Object.keys(resolutionCatalogue[type]).join(', ')})`);
  switch (resolution) {
    case 'recreate_vm':
      return stepsForCommand('recreate');
    case 'delete_vm_reference':
      return [forgetVm];
    case 'delete_vm':
      return [stopJobs, deleteVm];
    case 'reboot_vm':
      return [reboot, ...stepsForCommand('start')];
    case 'delete_disk_reference':
      return [forgetDisk];
    default:
      return [markIgnored];
  }
}
