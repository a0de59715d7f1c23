import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { deployAndWait, dummyDirector, etcdManifest, updateOrder } from './support.js';
import type { DummyRig } from './support.js';

let rig: DummyRig;
afterEach(async () => {
  await rig.close();
});

describe('director deploys with the dummy CPI', () => {
  it('creates every instance with its own IP, VM and disk, and wires the peers through the link', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    const t = await deployAndWait(d, etcdManifest());
    expect(t.state).toBe('done');
    const inst = d.instances('etcd');
    expect(inst.map((i) => [i.instance, i.ips[0], i.az])).toEqual([
      ['etcd/0', '127.73.1.2', 'z1'],
      ['etcd/1', '127.73.1.3', 'z2'],
      ['etcd/2', '127.73.1.4', 'z1'],
    ]);
    expect(new Set(inst.map((i) => i.vm_cid)).size).toBe(3);
    expect(cpi.disks.size).toBe(3);
    const spec = cpi.vmByIp('127.73.1.3')?.agent.spec;
    expect(spec?.jobs[0]?.files['bin/run']).toContain('--initial-cluster etcd-0=http://127.73.1.2:2380,etcd-1=http://127.73.1.3:2380,etcd-2=http://127.73.1.4:2380');
    expect(spec?.persistent_disk_cid).toBe(inst[1]?.disk_cid);
    // Every VM is tagged with its instance.
    expect(cpi.vmByIp('127.73.1.4')?.metadata).toMatchObject({ deployment: 'etcd', instance_group: 'etcd', index: '2' });
  });

  it('does nothing when nothing changed', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    const before = cpi.calls.length;
    const t = await deployAndWait(d, etcdManifest());
    expect(t.result).toMatchObject({ plan: [0, 1, 2].map((i) => ({ instance: `etcd/${i}`, action: 'none', changes: [] })) });
    expect(cpi.calls.slice(before).map((c) => c.method)).toEqual(['has_vm', 'has_vm', 'has_vm']);
  });

  it('dry-run shows the plan and touches nothing', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    const t = await deployAndWait(d, etcdManifest(), true);
    expect(t.state).toBe('done');
    expect(t.result).toMatchObject({ dry_run: true, plan: [{ instance: 'etcd/0', action: 'create', changes: ['new'] }, {}, {}] });
    expect(cpi.calls).toEqual([]);
    expect(() => d.instances('etcd')).toThrow(/deployment etcd does not exist/);
  });

  it('rolls a property change out canary first, then one at a time', async () => {
    rig = dummyDirector();
    const { director: d } = rig;
    await deployAndWait(d, etcdManifest());
    const id = d.deploy(etcdManifest({ props: { heartbeat_interval_ms: 200 } }));
    const t = await d.waitTask(id);
    expect(t.state).toBe('done');
    expect(updateOrder(d, id)).toEqual([
      'etcd/0 (canary) started',
      'etcd/0 (canary) finished',
      'etcd/1 started',
      'etcd/1 finished',
      'etcd/2 started',
      'etcd/2 finished',
    ]);
    expect(d.taskEvents(id).filter((e) => e.stage === 'Plan').map((e) => e.message)).toEqual([
      'etcd/0: update (configuration_changed)',
      'etcd/1: update (configuration_changed)',
      'etcd/2: update (configuration_changed)',
    ]);
  });

  it('stops after a failing canary and leaves the other instances untouched', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    const before = d.instances('etcd');
    const appliedBefore = [1, 2].map((i) => cpi.vmByIp(`127.73.1.${i + 2}`)?.agent.applies);
    cpi.failJobsWhen((spec) => (spec.jobs[0]?.files['bin/run'] ?? '').includes('--bogus'));
    const id = d.deploy(etcdManifest({ props: { extra_args: '--bogus' }, update: { canary_watch_time: '0-300' } }));
    const t = await d.waitTask(id);
    expect(t.state).toBe('error');
    expect(t.error).toBe(
      'canary failed in etcd: etcd/0 is not running after 300 ms: process etcd/etcd crashed 3 time(s) since the update (now failing); update stopped, 2 other instance(s) left untouched',
    );
    expect(updateOrder(d, id)).toEqual(['etcd/0 (canary) started', 'etcd/0 (canary) failed']);
    const after = d.instances('etcd');
    // The canary keeps its VM for debugging; the others kept VM, spec and were not even contacted.
    expect(after.map((i) => i.vm_cid)).toEqual(before.map((i) => i.vm_cid));
    expect([1, 2].map((i) => cpi.vmByIp(`127.73.1.${i + 2}`)?.agent.applies)).toEqual(appliedBefore);
    expect(cpi.vmByIp('127.73.1.2')?.agent.failing).toBe(true);
    // The canary's update is not forgotten: the same manifest tries it again, the fixed one repairs it.
    const again = await d.waitTask(d.deploy(etcdManifest({ props: { extra_args: '--bogus' }, update: { canary_watch_time: '0-300' } }), { dryRun: true }));
    expect(again.result).toMatchObject({ plan: [{ instance: 'etcd/0', action: 'update', changes: ['unverified'] }, { action: 'update' }, { action: 'update' }] });
    cpi.failJobsWhen(null);
    const fixed = await deployAndWait(d, etcdManifest());
    expect(fixed.result).toMatchObject({ plan: [{ instance: 'etcd/0', action: 'update', changes: ['unverified', 'configuration_changed'] }, { action: 'none' }, { action: 'none' }] });
  });

  it('retries CPI errors marked ok_to_retry and fails the task on others, naming the CPI error', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    cpi.inject('create_vm', { type: 'Bosh::Clouds::CloudError', message: 'quota hiccup', ok_to_retry: true }, 1);
    expect((await deployAndWait(d, etcdManifest({ instances: 1 }))).state).toBe('done');
    expect(cpi.calls.filter((c) => c.method === 'create_vm').map((c) => c.error)).toEqual(['Bosh::Clouds::CloudError', null]);

    cpi.inject('create_vm', { type: 'Bosh::Clouds::VMCreationFailed', message: 'no capacity', ok_to_retry: false }, 1);
    const t = await deployAndWait(d, etcdManifest({ instances: 2 }));
    expect(t.state).toBe('error');
    expect(t.error).toContain('CPI create_vm failed: Bosh::Clouds::VMCreationFailed: no capacity');
  });

  it('scales down (deleting VMs and disks) and up (reconfiguring peers)', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    const down = await deployAndWait(d, etcdManifest({ instances: 1 }));
    expect(down.result).toMatchObject({
      plan: [
        { instance: 'etcd/1', action: 'delete' },
        { instance: 'etcd/2', action: 'delete' },
        { instance: 'etcd/0', action: 'update', changes: ['configuration_changed'] },
      ],
    });
    expect(cpi.vms.size).toBe(1);
    expect(cpi.disks.size).toBe(1);
    const up = await deployAndWait(d, etcdManifest({ instances: 2 }));
    expect(up.result).toMatchObject({ plan: [{ instance: 'etcd/0', action: 'update' }, { instance: 'etcd/1', action: 'create' }] });
    expect(d.instances('etcd').map((i) => i.ips[0])).toEqual(['127.73.1.2', '127.73.1.3']);
  });

  it('recreates VMs for a new vm_type, keeping IPs and disks', async () => {
    rig = dummyDirector();
    const { director: d } = rig;
    await deployAndWait(d, etcdManifest());
    const before = d.instances('etcd');
    const t = await deployAndWait(d, etcdManifest({ vmType: 'large' }));
    expect(t.state).toBe('done');
    const after = d.instances('etcd');
    expect(after.map((i) => i.disk_cid)).toEqual(before.map((i) => i.disk_cid));
    expect(after.map((i) => i.ips)).toEqual(before.map((i) => i.ips));
    after.forEach((i, k) => expect(i.vm_cid).not.toBe(before[k]?.vm_cid));
  });

  it('generates variables once and interpolates them into properties', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    const m = parse(etcdManifest({ instances: 1, props: { cluster_token: 'tok-((token))' } })) as Record<string, unknown>;
    m['variables'] = [{ name: 'token', type: 'password' }];
    await deployAndWait(d, stringify(m));
    const run = cpi.vmByIp('127.73.1.2')?.agent.spec?.jobs[0]?.files['bin/run'] ?? '';
    const token = /--initial-cluster-token tok-(\S+)/.exec(run)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const again = await deployAndWait(d, stringify(m));
    expect(again.result).toMatchObject({ plan: [{ action: 'none' }] });
  });

  it.each([
    ['a -d that does not match', (d: DummyRig['director']) => d.deploy(etcdManifest(), { expectName: 'other' }), /the manifest deploys "etcd", not "other"/],
    ['a release that is not uploaded', (d: DummyRig['director']) => d.deploy(etcdManifest().replace('version: latest', 'version: "9"')), /releases\.0: release etcd\/9 is not uploaded/],
    ['an invalid manifest', (d: DummyRig['director']) => d.deploy('name: x\n'), /manifest is invalid: releases \(line 1, col 1\)/],
  ])('refuses %s before queueing a task', (_n, act, want) => {
    rig = dummyDirector();
    expect(() => act(rig.director)).toThrow(want);
    expect(rig.director.tasks({ all: true })).toEqual([]);
  });

  it('refuses a property the job does not declare before queueing, naming the manifest path', () => {
    rig = dummyDirector();
    expect(() => rig.director.deploy(etcdManifest({ props: { clinet_port: 1 } }))).toThrow(
      'instance_groups.0.jobs.0 (etcd/etcd): property "etcd.clinet_port" is not declared by job "etcd" (declared: etcd.client_port, etcd.peer_port, etcd.heartbeat_interval_ms, etcd.election_timeout_ms, etcd.cluster_token, etcd.log_level, etcd.extra_args)',
    );
    expect(rig.director.tasks({ all: true })).toEqual([]);
  });

  it('refuses a consumed link nobody provides and an unknown variable', () => {
    rig = dummyDirector();
    const noLink = etcdManifest().replace('release: etcd\n', 'release: etcd\n        consumes: {etcd: {from: zookeeper}}\n');
    expect(() => rig.director.deploy(noLink)).toThrow('instance_groups.0.jobs.0 (etcd/etcd): consumes link "etcd" of type "etcd" from job "zookeeper", but no job of the deployment provides one');
    expect(() => rig.director.deploy(etcdManifest({ props: { cluster_token: '((nope))' } }))).toThrow('instance_groups.0.jobs.0 (etcd/etcd).properties.etcd.cluster_token: ((nope)) is not a variable of the manifest');
  });

  it('deletes a deployment with its VMs and disks', async () => {
    rig = dummyDirector();
    const { director: d, cpi } = rig;
    await deployAndWait(d, etcdManifest());
    const t = await d.waitTask(d.deleteDeployment('etcd'));
    expect(t.state).toBe('done');
    expect(cpi.vms.size).toBe(0);
    expect(cpi.disks.size).toBe(0);
    expect(d.deployments()).toEqual([]);
  });
});
