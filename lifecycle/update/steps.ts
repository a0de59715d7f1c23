import { randomUUID } from 'node:crypto';
import type { AgentState } from '../agent/index.js';
import { throwIfAborted } from '../director/taskQueue.js';
import { buildSpec } from './applySpec.js';
import { agentOf, current } from './context.js';
import type { InstanceWork, Ops } from './context.js';
import { sleep } from './sleep.js';

/** One small, named piece of an instance update. Steps re-read the instance, so any sequence composes. */
export interface Step {
  readonly name: string;
  perform(ops: Ops, w: InstanceWork): Promise<void>;
}

/** Puts the instance's record in place (new instances) with its identity, address and desired state. */
export const recordInstance: Step = {
  name: 'record instance',
  async perform(ops, w) {
    const d = w.desired;
    if (d === null || ops.store.instance(w.deployment, w.group, w.index) !== null) return;
    ops.store.putInstance({
      deployment: w.deployment,
      group: w.group,
      index: w.index,
      id: d.id,
      az: d.az,
      ip: d.ip,
      vmCid: null,
      agentId: null,
      vmCreatedAt: null,
      diskCid: null,
      diskSizeMb: 0,
      desiredState: d.state,
      vmType: d.vmType,
      networks: d.networks,
      bootstrap: d.bootstrap,
      applied: null,
      appliedOk: false,
      ignored: false,
    });
  },
};

/** Asks the agent to stop its jobs, when there is a reachable agent; a dead VM has nothing to stop. */
export const stopJobs: Step = {
  name: 'stop jobs',
  async perform(ops, w) {
    const r = current(ops, w);
    const agent = agentOf(ops, r);
    if (agent === null || r.applied === null) return;
    try {
      await agent.apply({ ...r.applied, state: 'stopped' });
    } catch (err) {
      ops.logger.debug({ instance: `${w.group}/${w.index}`, err: (err as Error).message }, 'could not stop jobs; deleting the VM anyway');
    }
  },
};

/** Deletes the VM (keeping the persistent disk) and forgets it. */
export const deleteVm: Step = {
  name: 'delete VM',
  async perform(ops, w) {
    const r = current(ops, w);
    if (r.vmCid === null) return;
    if (r.diskCid !== null) await ops.cpi.detachDisk(r.vmCid, r.diskCid).catch(() => null);
    await ops.cpi.deleteVm(r.vmCid);
    ops.store.updateInstance(w.deployment, w.group, w.index, { vmCid: null, agentId: null, vmCreatedAt: null });
  },
};

async function waitForAgent(ops: Ops, w: InstanceWork): Promise<AgentState> {
  const deadline = Date.now() + ops.agentTimeoutMs;
  let last = '';
  for (;;) {
    throwIfAborted(ops.signal);
    const agent = agentOf(ops, current(ops, w));
    if (agent === null) throw new Error('instance has no VM');
    try {
      return await agent.getState(1000);
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`agent of ${w.group}/${w.index} did not answer within ${ops.agentTimeoutMs} ms: ${last}`);
    await sleep(200, ops.signal);
  }
}

/** Creates a VM at the instance's IP, with its disk if it has one, and waits for its agent. */
export const createVm: Step = {
  name: 'create VM',
  async perform(ops, w) {
    const r = current(ops, w);
    if (r.vmCid !== null) return;
    const agentId = randomUUID();
    const vmType = w.desired?.vmType ?? r.vmType ?? 'default';
    const vmCid = await ops.cpi.createVm({
      agent_id: agentId,
      cloud_properties: { vm_type: vmType },
      networks: { [(w.desired?.networks ?? r.networks)[0] ?? 'default']: { ip: r.ip } },
      disk_cids: r.diskCid === null ? [] : [r.diskCid],
      env: ops.vmEnv,
      agent_secret: ops.credentials.issue(agentId),
    });
    // Record the VM before anything else can fail, so nothing is left behind untracked.
    ops.store.updateInstance(w.deployment, w.group, w.index, { vmCid, agentId, vmCreatedAt: Date.now(), vmType, networks: w.desired?.networks ?? r.networks });
    await ops.cpi.setVmMetadata(vmCid, { deployment: w.deployment, instance_group: w.group, index: String(w.index), id: r.id });
    await waitForAgent(ops, w);
  },
};

/** Makes the disk match the manifest: creates and attaches one, keeps the existing one, or removes it. */
export const ensureDisk: Step = {
  name: 'persistent disk',
  async perform(ops, w) {
    const r = current(ops, w);
    const want = w.desired?.diskSizeMb ?? r.diskSizeMb;
    if (r.vmCid === null) throw new Error('instance has no VM');
    if (want === 0) {
      if (r.diskCid !== null) {
        await ops.cpi.detachDisk(r.vmCid, r.diskCid);
        await ops.cpi.deleteDisk(r.diskCid);
        ops.store.updateInstance(w.deployment, w.group, w.index, { diskCid: null, diskSizeMb: 0 });
      }
      return;
    }
    let diskCid = r.diskCid;
    if (diskCid === null) {
      diskCid = await ops.cpi.createDisk(want, r.vmCid);
      ops.store.updateInstance(w.deployment, w.group, w.index, { diskCid });
    }
    // Directory disks have no size to change: a new size is recorded, the data stays.
    await ops.cpi.attachDisk(r.vmCid, diskCid);
    ops.store.updateInstance(w.deployment, w.group, w.index, { diskSizeMb: want });
  },
};

/** Sends the apply spec in the given state. */
export function applySpec(state: 'started' | 'stopped' | 'desired'): Step {
  return {
    name: state === 'desired' ? 'apply' : state === 'started' ? 'start jobs' : 'stop jobs',
    async perform(ops, w) {
      const r = current(ops, w);
      const agent = agentOf(ops, r);
      if (agent === null) throw new Error(`instance ${w.group}/${w.index} has no VM`);
      const s = state === 'desired' ? r.desiredState : state;
      const spec = buildSpec(w.deployment, r, w.desired, s);
      await agent.apply(spec);
      ops.store.updateInstance(w.deployment, w.group, w.index, { applied: spec, appliedOk: s === 'stopped', ...(w.desired !== null ? { vmType: w.desired.vmType, networks: w.desired.networks } : {}) });
    },
  };
}

/**
 * The watch: waits the minimum watch time, then polls until every process runs without having restarted,
 * or gives up at the maximum with what the agent last said.
 */
export const waitRunning: Step = {
  name: 'watch',
  async perform(ops, w) {
    const r = current(ops, w);
    if (r.applied?.state === 'stopped') return;
    const start = Date.now();
    await sleep(w.watch.minMs, ops.signal);
    let last: AgentState | null = null;
    let lastErr = '';
    for (;;) {
      const agent = agentOf(ops, current(ops, w));
      try {
        last = agent === null ? null : await agent.getState(2000);
        if (last !== null && last.job_state === 'running' && last.spec_hash === r.applied?.hash) {
          ops.store.updateInstance(w.deployment, w.group, w.index, { appliedOk: true });
          return;
        }
      } catch (err) {
        lastErr = (err as Error).message;
      }
      if (Date.now() - start >= w.watch.maxMs) break;
      await sleep(Math.min(250, Math.max(1, w.watch.maxMs - (Date.now() - start))), ops.signal);
    }
    const bad = (last?.processes ?? []).filter((p) => p.state !== 'running' || p.restarts > 0);
    const detail =
      last === null
        ? `agent not answering (${lastErr})`
        : last.spec_hash !== r.applied?.hash
          ? `agent still runs spec ${last.spec_hash ?? 'none'}, not ${r.applied?.hash ?? 'none'}${lastErr !== '' ? ` (last error: ${lastErr})` : ''}`
          : bad.length > 0
          ? bad.map((p) => (p.restarts > 0 ? `process ${p.job}/${p.name} crashed ${p.restarts} time(s) since the update (now ${p.state})` : `process ${p.job}/${p.name} is ${p.state}`)).join('; ')
          : `job state ${last.job_state}`;
    throw new Error(`${w.group}/${w.index} is not running after ${w.watch.maxMs} ms: ${detail}`);
  },
};

/** Deletes an obsolete instance: its VM, its disk, its record. */
export const deleteInstance: Step = {
  name: 'delete instance',
  async perform(ops, w) {
    const r = current(ops, w);
    if (r.diskCid !== null) {
      if (r.vmCid !== null) await ops.cpi.detachDisk(r.vmCid, r.diskCid).catch(() => null);
      await ops.cpi.deleteDisk(r.diskCid);
    }
    ops.store.deleteInstance(w.deployment, w.group, w.index);
  },
};
