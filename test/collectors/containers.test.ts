import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerCollection, ContainerRef } from '../../collectors/index.js';
import { collectContainers, parseCgroupPath } from '../../collectors/index.js';
import type { Labels } from '../../core/index.js';

const data = join(import.meta.dirname, 'data');
const NOW = 1_795_790_000_000;
const ID1 = `${'a'.repeat(63)}1`;
const ID2 = `${'b'.repeat(63)}2`;
const ID3 = `${'c'.repeat(63)}3`;
const POD1 = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const POD2 = '11112222-3333-4444-5555-666677778888';
const CG1 = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD1.replace(/-/g, '_')}.slice/cri-containerd-${ID1}.scope`;
const CG2 = `/kubepods/besteffort/pod${POD2}/${ID2}`;
const CG3 = `/system.slice/docker-${ID3}.scope`;

describe('parseCgroupPath', () => {
  it.each<[string, string, Partial<ContainerRef> | undefined]>([
    ['systemd driver, containerd', CG1, { containerId: ID1, runtime: 'containerd', podUid: POD1 }],
    ['systemd driver, guaranteed pod, cri-o', `/kubepods.slice/kubepods-pod${POD1.replace(/-/g, '_')}.slice/crio-${ID2}.scope`, { containerId: ID2, runtime: 'cri-o', podUid: POD1 }],
    ['cgroupfs driver', CG2, { containerId: ID2, runtime: '', podUid: POD2 }],
    ['plain Docker, systemd', CG3, { containerId: ID3, runtime: 'docker', podUid: undefined }],
    ['plain Docker, cgroupfs', `/docker/${ID3}`, { containerId: ID3, runtime: 'docker', podUid: undefined }],
    ['a pod cgroup itself', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD1.replace(/-/g, '_')}.slice`, undefined],
    ['a service', '/system.slice/ssh.service', undefined],
    ['a bare id outside pods and docker', `/user.slice/${ID1}`, undefined],
    ['a short id', '/system.slice/docker-abc.scope', undefined],
    ['the root', '/', undefined],
  ])('%s', (_what, path, want) => {
    const got = parseCgroupPath(path);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toMatchObject({ ...want, cgroup: path });
  });
});

describe('collectContainers over a fixture cgroup v2 tree', () => {
  let c: ContainerCollection;
  beforeAll(async () => {
    c = await collectContainers({
      cgroupRoot: join(data, 'cgroup'),
      procRoot: join(data, 'proc'),
      containerLogDir: join(data, 'varlogcontainers'),
      hostname: 'node-1',
      job: 'vigil-node',
      nowMs: NOW,
    });
  });

  const value = (name: string, labels: Labels): number | undefined =>
    c.series.find((s) => s.labels['__name__'] === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.samples[0]?.v;

  it('finds the three containers and nothing else', () => {
    expect(c.containers).toBe(3);
    expect(c.failures).toEqual([]);
    expect(new Set(c.series.map((s) => s.labels['id']))).toEqual(new Set([CG1, CG2, CG3]));
  });

  it.each<[string, Labels, number | undefined]>([
    ['container_cpu_usage_seconds_total', { id: CG1 }, 12.345678],
    ['container_cpu_user_seconds_total', { id: CG1 }, 10],
    ['container_cpu_system_seconds_total', { id: CG1 }, 2.345678],
    ['container_cpu_cfs_periods_total', { id: CG1 }, 500],
    ['container_cpu_cfs_throttled_periods_total', { id: CG1 }, 20],
    ['container_cpu_cfs_throttled_seconds_total', { id: CG1 }, 1.5],
    ['container_spec_cpu_quota', { id: CG1 }, 50000],
    ['container_spec_cpu_period', { id: CG1 }, 100000],
    ['container_memory_usage_bytes', { id: CG1 }, 104857600],
    ['container_memory_working_set_bytes', { id: CG1 }, 104857600 - 31457280],
    ['container_memory_rss', { id: CG1 }, 52428800],
    ['container_memory_cache', { id: CG1 }, 41943040],
    ['container_memory_mapped_file', { id: CG1 }, 4194304],
    ['container_memory_swap', { id: CG1 }, 0],
    ['container_spec_memory_limit_bytes', { id: CG1 }, 268435456],
    ['container_oom_events_total', { id: CG1 }, 1],
    ['container_fs_reads_bytes_total', { id: CG1, device: '/dev/vda' }, 4096000],
    ['container_fs_writes_bytes_total', { id: CG1, device: '/dev/vda' }, 8192000],
    ['container_fs_reads_total', { id: CG1, device: '/dev/vda' }, 100],
    ['container_fs_writes_total', { id: CG1, device: '/dev/zram0' }, 1],
    ['container_last_seen', { id: CG1 }, NOW / 1000],
    // Unlimited: no quota series; memory limit 0 as cAdvisor reports it; working set never below zero.
    ['container_spec_cpu_quota', { id: CG2 }, undefined],
    ['container_spec_memory_limit_bytes', { id: CG2 }, 0],
    ['container_memory_working_set_bytes', { id: CG2 }, 0],
    ['container_cpu_usage_seconds_total', { id: CG3 }, 7],
    ['container_cpu_cfs_throttled_periods_total', { id: CG2 }, undefined],
  ])('%s%j = %d', (name, labels, want) => {
    expect(value(name, labels)).toBe(want);
  });

  it.each<[string, Labels]>([
    [CG1, { container_id: ID1, pod_uid: POD1, namespace: 'shop', pod: 'web-7d9f', container: 'nginx', job: 'vigil-node', instance: 'node-1' }],
    [CG2, { container_id: ID2, pod_uid: POD2 }],
    [CG3, { container_id: ID3 }],
  ])('labels %s with what its path and the kubelet\'s log links tell', (id, labels) => {
    const s = c.series.find((x) => x.labels['id'] === id && x.labels['__name__'] === 'container_cpu_usage_seconds_total');
    expect(s?.labels).toMatchObject(labels);
    if (id !== CG1) expect(s?.labels).not.toHaveProperty('namespace');
    if (id === CG3) expect(s?.labels).not.toHaveProperty('pod_uid');
  });

  it('finds cgroup v2 under /sys/fs/cgroup/unified on hybrid hosts and reports a host without it', async () => {
    const hybridRoot = mkdtempSync(join(os.tmpdir(), 'vigil-cgroup-'));
    symlinkSync(join(data, 'cgroup'), join(hybridRoot, 'unified'));
    const hybrid = await collectContainers({ cgroupRoot: hybridRoot, procRoot: join(data, 'proc'), hostname: 'h', job: 'j', nowMs: NOW });
    rmSync(hybridRoot, { recursive: true, force: true });
    expect(hybrid.containers).toBe(3);
    const none = await collectContainers({ cgroupRoot: data, procRoot: join(data, 'proc'), hostname: 'h', job: 'j', nowMs: NOW });
    expect(none.failures).toEqual([{ source: 'cgroup', error: `no cgroup v2 hierarchy at ${data}` }]);
  });
});
