import { afterEach, describe, expect, it } from 'vitest';
import { deployAndWait, dummyDirector, etcdManifest, tmp } from './support.js';
import type { DummyRig } from './support.js';

let rig: DummyRig;
afterEach(async () => {
  await rig.close();
});

async function until<T>(fn: () => T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('health monitor and resurrector', () => {
  it('recreates a vanished VM on the same IP and persistent disk', async () => {
    rig = dummyDirector({ resurrection: true });
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    const before = d.instances('etcd')[1];
    cpi.loseVm(before?.vm_cid ?? '');
    await d.checkHealth();
    const task = await until(() => d.tasks({ recent: 5 }).find((t) => t.kind === 'resurrect'));
    expect(task.description).toBe('resurrect etcd/1');
    expect((await d.waitTask(task.id)).state).toBe('done');
    const after = d.instances('etcd')[1];
    expect(after?.vm_cid).not.toBe(before?.vm_cid);
    expect(after?.disk_cid).toBe(before?.disk_cid);
    expect(after?.ips).toEqual(before?.ips);
    expect(cpi.vms.get(after?.vm_cid ?? '')?.disks.has(before?.disk_cid ?? '')).toBe(true);
    expect(d.taskEvents(task.id)[0]?.message).toBe('resurrector: etcd/1 vm_missing');
    expect(d.healthEvents('etcd').map((e) => e.kind)).toEqual(['instance_unhealthy', 'resurrection_requested']);
  });

  it('recreates an instance whose agent stopped sending heartbeats', async () => {
    rig = dummyDirector({ resurrection: true, heartbeatTimeoutMs: 300 });
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    const victim = d.instances('etcd')[2];
    cpi.silenceAgent(victim?.vm_cid ?? '');
    await new Promise((r) => setTimeout(r, 400));
    await d.checkHealth();
    const task = await until(() => d.tasks({ recent: 5 }).find((t) => t.kind === 'resurrect'));
    expect(d.taskEvents(task.id)[0]?.message).toBe('resurrector: etcd/2 unresponsive');
    expect((await d.waitTask(task.id)).state).toBe('done');
    expect(cpi.vms.has(victim?.vm_cid ?? '')).toBe(false);
  });

  it.each([
    ['50%', 2, true],
    ['50%', 1, false],
    [1, 2, true],
    [2, 2, false],
  ] as const)('meltdown limit %s with %i of 3 VMs gone: meltdown=%s', async (limit, lost, melt) => {
    rig = dummyDirector({ resurrection: true, meltdown: limit });
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    for (const i of d.instances('etcd').slice(0, lost)) cpi.loseVm(i.vm_cid ?? '');
    await d.checkHealth();
    const kinds = d.healthEvents('etcd').map((e) => e.kind);
    expect(kinds.includes('meltdown')).toBe(melt);
    expect(d.tasks({ recent: 5 }).some((t) => t.kind === 'resurrect')).toBe(!melt);
  });

  it('does not resurrect when resurrection is off, or while the deployment is locked', async () => {
    rig = dummyDirector({ resurrection: false });
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    cpi.loseVm(d.instances('etcd')[0]?.vm_cid ?? '');
    await d.checkHealth();
    expect(d.tasks({ recent: 5 }).some((t) => t.kind === 'resurrect')).toBe(false);
    expect(d.healthEvents('etcd').map((e) => e.kind)).toEqual(['instance_unhealthy']);
    d.setResurrection(true);
    cpi.delay('has_vm', 300);
    const deploy = d.deploy(etcdManifest());
    await d.checkHealth();
    expect(d.tasks({ recent: 5 }).some((t) => t.kind === 'resurrect')).toBe(false);
    cpi.delay('has_vm', 0);
    await d.waitTask(deploy);
    // The deploy itself noticed the VM was gone and recreated it.
    expect(d.taskEvents(deploy).some((e) => e.message === 'VMs gone, to be recreated: etcd/0')).toBe(true);
  });
});

describe('cloud check', () => {
  it('finds a missing VM and a missing disk, and resolves them by name', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    const [i0, i1] = d.instances('etcd');
    cpi.loseVm(i0?.vm_cid ?? '');
    cpi.disks.delete(i1?.disk_cid ?? '');
    const problems = await d.problems('etcd');
    expect(problems).toEqual([
      { id: 'missing_vm:etcd/0', type: 'missing_vm', instance: 'etcd/0', description: `VM ${i0?.vm_cid} does not exist`, resolutions: ['recreate_vm', 'delete_vm_reference', 'ignore'] },
      { id: 'missing_disk:etcd/1', type: 'missing_disk', instance: 'etcd/1', description: `persistent disk ${i1?.disk_cid} does not exist`, resolutions: ['delete_disk_reference', 'ignore'] },
    ]);
    const t = await d.waitTask(d.resolveProblems('etcd', { 'missing_disk:etcd/1': 'delete_disk_reference' }, true));
    expect(t.state).toBe('done');
    expect(t.result).toMatchObject({ applied: [{ problem: 'missing_vm:etcd/0', resolution: 'recreate_vm' }, { problem: 'missing_disk:etcd/1', resolution: 'delete_disk_reference' }] });
    expect(await d.problems('etcd')).toEqual([]);
    // A disk reference that was deleted is created again by the next recreate.
    await d.waitTask(d.instanceCommand('etcd', 'recreate', 'etcd/1'));
    expect(d.instances('etcd')[1]?.disk_cid).not.toBe(i1?.disk_cid);
    expect(d.instances('etcd')[1]?.disk_cid).not.toBeNull();
  });

  it('finds an unresponsive agent and refuses an unknown resolution', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest({ instances: 1 }));
    cpi.silenceAgent(d.instances('etcd')[0]?.vm_cid ?? '');
    const [p] = await d.problems('etcd');
    expect(p?.type).toBe('unresponsive_agent');
    expect(p?.resolutions).toEqual(['reboot_vm', 'recreate_vm', 'delete_vm', 'ignore']);
    const t = await d.waitTask(d.resolveProblems('etcd', { 'unresponsive_agent:etcd/0': 'fix_it' }, false));
    expect(t.error).toBe('problem type unresponsive_agent has no resolution "fix_it" (choose: reboot_vm, recreate_vm, delete_vm, ignore)');
  });
});

describe('instance commands and the healing hook', () => {
  it('stops, starts and restarts instances, and keeps a stopped instance stopped across deploys', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    expect((await d.waitTask(d.instanceCommand('etcd', 'stop', 'etcd/1'))).state).toBe('done');
    expect(cpi.vmByIp('127.73.1.3')?.agent.spec?.state).toBe('stopped');
    await until(() => d.instances('etcd')[1]?.process_state === 'stopped');
    const redeploy = await deployAndWait(d, etcdManifest());
    expect(redeploy.result).toMatchObject({ plan: [{ action: 'none' }, { action: 'none' }, { action: 'none' }] });
    await d.waitTask(d.instanceCommand('etcd', 'start', 'etcd/1'));
    expect(cpi.vmByIp('127.73.1.3')?.agent.spec?.state).toBe('started');
    const applies = cpi.vmByIp('127.73.1.2')?.agent.applies ?? 0;
    const restart = await d.waitTask(d.instanceCommand('etcd', 'restart', 'etcd'));
    expect(restart.result).toEqual({ instances: ['etcd/0', 'etcd/1', 'etcd/2'] });
    expect(cpi.vmByIp('127.73.1.2')?.agent.applies).toBe(applies + 2);
  });

  it('names what exists when a target does not', async () => {
    rig = dummyDirector();
    await deployAndWait(rig.director, etcdManifest({ instances: 2 }));
    expect(() => rig.director.instanceCommand('etcd', 'restart', 'etcd/7')).toThrow('deployment etcd has no instance matching "etcd/7" (instances: etcd/0, etcd/1)');
    expect(() => rig.director.instanceCommand('nope', 'restart', null)).toThrow('deployment nope does not exist');
  });

  it('heals one instance on request, recording the reason in the task log', async () => {
    rig = dummyDirector();
    const { director: d } = rig;
    await deployAndWait(d, etcdManifest());
    const before = d.instances('etcd')[2]?.vm_cid;
    const id = d.heal('etcd', 'etcd/2', 'recreate', 'alert EtcdMemberDown fired');
    const t = await d.waitTask(id);
    expect(t.state).toBe('done');
    expect(t.description).toBe('heal etcd etcd/2: recreate');
    const ev = d.taskEvents(id);
    expect(ev[0]).toMatchObject({ stage: 'Reason', message: 'alert EtcdMemberDown fired' });
    expect(ev.find((e) => e.state === 'finished')?.tags).toContain('reason: alert EtcdMemberDown fired');
    expect(d.instances('etcd')[2]?.vm_cid).not.toBe(before);
  });
});

describe('director restart', () => {
  it('resumes an interrupted deploy from a fresh plan of the actual state', async () => {
    const t = tmp('restart');
    rig = dummyDirector({ dir: t.dir });
    const { director: a, cpi } = rig;
    cpi.delay('create_vm', 400);
    const id = a.deploy(etcdManifest());
    // Shut down while the create_vm calls are in flight: they finish, are recorded, and the task stops there.
    await until(() => a.taskEvents(id).some((e) => e.stage === 'Creating missing VMs' && e.state === 'started'));
    await a.shutdown();
    expect(cpi.calls.filter((c) => c.method === 'create_vm')).toHaveLength(3);
    cpi.delay('create_vm', 0);
    const interrupted = cpi.vms.size;
    const b = rig.restart();
    const done = await b.waitTask(id);
    expect(done.state).toBe('done');
    expect(done.resumes).toBe(1);
    const ev = b.taskEvents(id);
    expect(ev.some((e) => e.stage === 'Director restarted' && /resuming/.test(e.message ?? ''))).toBe(true);
    // The resumed plan only created what was still missing; no VM is orphaned.
    expect(cpi.vms.size).toBe(3);
    expect(interrupted).toBeGreaterThan(0);
    await until(() => b.instances('etcd').every((i) => i.process_state === 'running'));
    t.cleanup();
  });

  it('fails an interrupted task that cannot be resumed, saying why', async () => {
    const t = tmp('restart');
    rig = dummyDirector({ dir: t.dir });
    const { director: a, cpi } = rig;
    await deployAndWait(a, etcdManifest({ instances: 1 }));
    cpi.delay('create_vm', 300);
    const id = a.instanceCommand('etcd', 'recreate', null);
    await until(() => a.taskEvents(id).some((e) => e.state === 'started'));
    await a.shutdown();
    const b = rig.restart();
    const failed = b.task(id);
    expect(failed.state).toBe('error');
    expect(failed.error).toBe('the director restarted while this task was running; nothing more will happen in it — check the instances and run it again');
    // The deployment lock is free again, and running the command again finishes the job.
    cpi.delay('create_vm', 0);
    expect((await b.waitTask(b.instanceCommand('etcd', 'recreate', null))).state).toBe('done');
    await until(() => b.instances('etcd')[0]?.process_state === 'running');
    t.cleanup();
  });
});
