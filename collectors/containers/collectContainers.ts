import { access, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Labels, MetricMetadata, TimeSeries } from '../../core/index.js';
import { SeriesBuilder } from '../host/seriesBuilder.js';
import { parseCpuMax, parseFlatKeyed, parseIoStat, parseSingleValue } from './cgroupFiles.js';
import { parseCgroupPath } from './cgroupPath.js';
import type { ContainerRef } from './cgroupPath.js';

export interface CollectContainersOptions {
  /** Where cgroup v2 is mounted: /sys/fs/cgroup, or its `unified` directory on hybrid hosts (found by itself). */
  readonly cgroupRoot: string;
  /** For disk names of io.stat's major:minor (reads <procRoot>/diskstats). */
  readonly procRoot: string;
  /** The kubelet's /var/log/containers: its <pod>_<namespace>_<container>-<id>.log links name the containers. */
  readonly containerLogDir?: string;
  readonly hostname: string;
  readonly job: string;
  readonly nowMs: number;
  /** Bounds on the walk of the cgroup tree (defaults 12 levels, 20000 directories). */
  readonly maxDepth?: number;
  readonly maxDirectories?: number;
}

export interface ContainerCollection {
  readonly series: TimeSeries[];
  readonly metadata: MetricMetadata[];
  readonly containers: number;
  readonly failures: { readonly source: string; readonly error: string }[];
}

/** Names the kubelet gave a container, from its log link in /var/log/containers. */
interface KubeNames {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

/**
 * Every container's cgroup v2 statistics, named as cAdvisor names them (so that the usual
 * Kubernetes dashboards and alerts work): CPU usage and throttling, memory usage and working
 * set, block I/O, OOM kills and limits. Labels: `id` (the cgroup path, as cAdvisor), `container_id`,
 * `pod_uid` for pods' containers, and `namespace`/`pod`/`container` when the kubelet's log links
 * name them. One unreadable container does not spoil the others.
 */
export async function collectContainers(opts: CollectContainersOptions): Promise<ContainerCollection> {
  const b = new SeriesBuilder({ job: opts.job, instance: opts.hostname }, opts.nowMs);
  const failures: { source: string; error: string }[] = [];
  const root = await v2Root(opts.cgroupRoot);
  if (root === undefined) return { ...b.build(), containers: 0, failures: [{ source: 'cgroup', error: `no cgroup v2 hierarchy at ${opts.cgroupRoot}` }] };
  const [refs, disks, names] = await Promise.all([
    findContainers(root, opts.maxDepth ?? 12, opts.maxDirectories ?? 20_000),
    diskNames(join(opts.procRoot, 'diskstats')),
    opts.containerLogDir === undefined ? new Map<string, KubeNames>() : kubeNames(opts.containerLogDir),
  ]);
  await Promise.all(
    refs.map(async (ref) => {
      try {
        await addContainer(b, join(root, ref.cgroup), ref, names.get(ref.containerId), disks, opts.nowMs);
      } catch (err) {
        failures.push({ source: ref.cgroup, error: err instanceof Error ? err.message : String(err) });
      }
    }),
  );
  return { ...b.build(), containers: refs.length, failures };
}

async function v2Root(root: string): Promise<string | undefined> {
  for (const candidate of [root, join(root, 'unified')]) {
    if (await access(join(candidate, 'cgroup.controllers')).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

/** Breadth-first walk of the hierarchy, bounded; container cgroups are leaves as far as we care. */
async function findContainers(root: string, maxDepth: number, maxDirectories: number): Promise<ContainerRef[]> {
  const found: ContainerRef[] = [];
  let level = ['/'];
  let seen = 0;
  for (let depth = 0; depth < maxDepth && level.length > 0 && seen < maxDirectories; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (!e.isDirectory() || ++seen > maxDirectories) continue;
        const path = dir === '/' ? `/${e.name}` : `${dir}/${e.name}`;
        const ref = parseCgroupPath(path);
        if (ref !== undefined) found.push(ref);
        else next.push(path);
      }
    }
    level = next;
  }
  return found;
}

/** major:minor → /dev/<name>, as cAdvisor labels block devices. */
async function diskNames(diskstats: string): Promise<Map<string, string>> {
  const text = await readFile(diskstats, 'utf8').catch(() => '');
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [major, minor, name] = line.trim().split(/\s+/);
    if (major !== undefined && minor !== undefined && name !== undefined) out.set(`${major}:${minor}`, `/dev/${name}`);
  }
  return out;
}

/** /var/log/containers/<pod>_<namespace>_<container>-<64 hex id>.log (names cannot hold '_'). */
async function kubeNames(dir: string): Promise<Map<string, KubeNames>> {
  const out = new Map<string, KubeNames>();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^([^_]+)_([^_]+)_(.+)-([0-9a-f]{64})\.log$/.exec(name);
    if (m !== null) out.set(m[4] as string, { pod: m[1] as string, namespace: m[2] as string, container: m[3] as string });
  }
  return out;
}

async function addContainer(b: SeriesBuilder, dir: string, ref: ContainerRef, kube: KubeNames | undefined, disks: Map<string, string>, nowMs: number): Promise<void> {
  const read = (f: string): Promise<string | undefined> => readFile(join(dir, f), 'utf8').catch(() => undefined);
  const [cpuStat, cpuMax, memCurrent, memStat, memMax, memEvents, swapCurrent, ioStat] = await Promise.all(
    ['cpu.stat', 'cpu.max', 'memory.current', 'memory.stat', 'memory.max', 'memory.events', 'memory.swap.current', 'io.stat'].map(read),
  );
  // cpu.stat is present in every cgroup v2 directory: without it the cgroup is gone (the container stopped while we looked).
  if (cpuStat === undefined) throw new Error(`${basename(dir)}: cpu.stat unreadable`);
  const labels: Labels = {
    id: ref.cgroup,
    container_id: ref.containerId,
    ...(ref.podUid === undefined ? {} : { pod_uid: ref.podUid }),
    ...(kube === undefined ? {} : { namespace: kube.namespace, pod: kube.pod, container: kube.container }),
  };
  const counter = (name: string, help: string, value: number | undefined, extra: Labels = {}): void => {
    if (value !== undefined) b.add(name, 'counter', help, { ...labels, ...extra }, value);
  };
  const gauge = (name: string, help: string, value: number | undefined, extra: Labels = {}): void => {
    if (value !== undefined) b.add(name, 'gauge', help, { ...labels, ...extra }, value);
  };
  const usec = (m: Map<string, number>, k: string): number | undefined => (m.has(k) ? (m.get(k) as number) / 1e6 : undefined);

  const cpu = parseFlatKeyed(cpuStat);
  counter('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', usec(cpu, 'usage_usec'));
  counter('container_cpu_user_seconds_total', 'Cumulative user cpu time consumed in seconds.', usec(cpu, 'user_usec'));
  counter('container_cpu_system_seconds_total', 'Cumulative system cpu time consumed in seconds.', usec(cpu, 'system_usec'));
  counter('container_cpu_cfs_periods_total', 'Number of elapsed enforcement period intervals.', cpu.get('nr_periods'));
  counter('container_cpu_cfs_throttled_periods_total', 'Number of throttled period intervals.', cpu.get('nr_throttled'));
  counter('container_cpu_cfs_throttled_seconds_total', 'Total time duration the container has been throttled.', usec(cpu, 'throttled_usec'));
  const max = cpuMax === undefined ? undefined : parseCpuMax(cpuMax);
  if (max?.quotaUs !== undefined) {
    gauge('container_spec_cpu_quota', 'CPU quota of the container.', max.quotaUs);
    gauge('container_spec_cpu_period', 'CPU period of the container.', max.periodUs);
  }

  const usage = memCurrent === undefined ? undefined : parseSingleValue(memCurrent);
  const mem = memStat === undefined ? new Map<string, number>() : parseFlatKeyed(memStat);
  gauge('container_memory_usage_bytes', 'Current memory usage in bytes, including all memory regardless of when it was accessed', usage);
  // cAdvisor's working set: usage minus the inactive page cache, never below zero.
  const inactiveFile = mem.get('inactive_file') ?? 0;
  gauge('container_memory_working_set_bytes', 'Current working set in bytes.', usage === undefined ? undefined : Math.max(0, usage - inactiveFile));
  gauge('container_memory_rss', 'Size of RSS in bytes.', mem.get('anon'));
  gauge('container_memory_cache', 'Number of bytes of page cache memory.', mem.get('file'));
  gauge('container_memory_mapped_file', 'Size of memory mapped files in bytes.', mem.get('file_mapped'));
  gauge('container_memory_swap', 'Container swap usage in bytes.', swapCurrent === undefined ? undefined : parseSingleValue(swapCurrent));
  // cAdvisor reports an unlimited container as 0.
  if (memMax !== undefined) gauge('container_spec_memory_limit_bytes', 'Memory limit for the container.', parseSingleValue(memMax) ?? 0);
  if (memEvents !== undefined) counter('container_oom_events_total', 'Count of out of memory events observed for the container', parseFlatKeyed(memEvents).get('oom_kill'));

  for (const io of ioStat === undefined ? [] : parseIoStat(ioStat)) {
    const device = { device: disks.get(io.device) ?? io.device };
    counter('container_fs_reads_bytes_total', 'Cumulative count of bytes read', io.rbytes, device);
    counter('container_fs_writes_bytes_total', 'Cumulative count of bytes written', io.wbytes, device);
    counter('container_fs_reads_total', 'Cumulative count of reads completed', io.rios, device);
    counter('container_fs_writes_total', 'Cumulative count of writes completed', io.wios, device);
  }
  gauge('container_last_seen', 'Last time a container was seen by the exporter', nowMs / 1000);
}
