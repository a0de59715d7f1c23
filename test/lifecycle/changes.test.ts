import { describe, expect, it } from 'vitest';
import { actionFor, changesOf } from '../../lifecycle/index.js';
import type { InstanceRecord } from '../../lifecycle/index.js';
import type { DesiredInstance } from '../../lifecycle/planner/index.js';

const job = { name: 'etcd', release: 'etcd', files: {}, processes: [], packages: ['etcd'], hash: 'h1' };
const pkg = { name: 'etcd', host_binaries: ['etcd'], files: {}, fingerprint: 'f1' };
const desired: DesiredInstance = {
  group: 'etcd', index: 0, id: 'i', az: 'z1', ip: '127.0.0.2', bootstrap: true, vmType: 'small', networks: ['default'],
  diskSizeMb: 1024, state: 'started', jobs: [job], packages: [pkg],
};
const applied = {
  deployment: 'd', instance: { group: 'etcd', index: 0, id: 'i', az: 'z1' }, address: '127.0.0.2', state: 'started' as const,
  jobs: [job], packages: [pkg], persistent_disk_cid: 'disk', hash: 'x',
};
const actual: InstanceRecord = {
  deployment: 'd', group: 'etcd', index: 0, id: 'i', az: 'z1', ip: '127.0.0.2', vmCid: 'vm', agentId: 'a', vmCreatedAt: 1,
  diskCid: 'disk', diskSizeMb: 1024, desiredState: 'started', vmType: 'small', networks: ['default'], bootstrap: true, applied, appliedOk: true, ignored: false,
};

describe('planning one instance: change kinds and the least disruptive action', () => {
  it.each([
    ['nothing differs', actual, desired, [], 'none'],
    ['a new instance', null, desired, ['new'], 'create'],
    ['a forgotten VM', { ...actual, vmCid: null }, desired, ['vm_missing'], 'create'],
    ['another vm_type', actual, { ...desired, vmType: 'large' }, ['vm_type_changed'], 'recreate'],
    ['other networks', actual, { ...desired, networks: ['other'] }, ['networks_changed'], 'recreate'],
    ['a bigger disk', actual, { ...desired, diskSizeMb: 2048 }, ['persistent_disk_changed'], 'update'],
    ['a property or link change', actual, { ...desired, jobs: [{ ...job, hash: 'h2' }] }, ['configuration_changed'], 'update'],
    ['another job', actual, { ...desired, jobs: [{ ...job, name: 'etcd2' }] }, ['jobs_changed'], 'update'],
    ['a new package version', actual, { ...desired, packages: [{ ...pkg, fingerprint: 'f2' }] }, ['packages_changed'], 'update'],
    ['never applied', { ...actual, applied: null }, desired, ['never_applied'], 'update'],
    ['applied but never seen running', { ...actual, appliedOk: false }, desired, ['unverified'], 'update'],
    ['stopped, wanted started', { ...actual, applied: { ...applied, state: 'stopped' as const } }, desired, ['state_changed'], 'start'],
    ['started, wanted stopped', actual, { ...desired, state: 'stopped' as const }, ['state_changed'], 'stop'],
    ['vm_type and properties: recreate covers both', actual, { ...desired, vmType: 'large', jobs: [{ ...job, hash: 'h2' }] }, ['vm_type_changed', 'configuration_changed'], 'recreate'],
  ] as const)('%s', (_n, a, d, kinds, action) => {
    const changes = changesOf(a, d);
    expect(changes).toEqual(kinds);
    expect(actionFor(changes, d.state)).toBe(action);
  });
});
