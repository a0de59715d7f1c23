/**
 * Who a cgroup v2 directory belongs to, read from its path alone, for the layouts container
 * runtimes and the kubelet create:
 *
 *   systemd driver  /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope
 *                   (also crio-<id>.scope, docker-<id>.scope; guaranteed pods sit right under kubepods.slice)
 *   cgroupfs driver /kubepods/burstable/pod<uid>/<id>
 *   plain Docker    /system.slice/docker-<id>.scope   or   /docker/<id>
 *
 * Pure: a path in, a ContainerRef or undefined (not a container's cgroup) out.
 */
export interface ContainerRef {
  /** The cgroup path from the hierarchy's root, starting with '/', as cAdvisor's `id` label. */
  readonly cgroup: string;
  /** The runtime's full container id (64 hex digits). */
  readonly containerId: string;
  /** containerd, cri-o or docker, when the path says. */
  readonly runtime: string;
  /** The Kubernetes pod UID with dashes, for containers of a pod. */
  readonly podUid: string | undefined;
}

const ID = '([0-9a-f]{64})';
const scopePatterns: readonly (readonly [RegExp, string])[] = [
  [new RegExp(`^cri-containerd-${ID}\\.scope$`), 'containerd'],
  [new RegExp(`^crio-${ID}\\.scope$`), 'cri-o'],
  [new RegExp(`^docker-${ID}\\.scope$`), 'docker'],
  [new RegExp(`^${ID}$`), ''],
];
// kubepods-burstable-pod1234_5678.slice, kubepods-pod1234_5678.slice, pod1234-5678
const podPattern = /^(?:kubepods(?:-[a-z]+)?-pod([0-9a-f_]{36})\.slice|pod([0-9a-f-]{36}))$/;

export function parseCgroupPath(cgroup: string): ContainerRef | undefined {
  const segments = cgroup.split('/').filter((s) => s.length > 0);
  const leaf = segments[segments.length - 1];
  if (leaf === undefined) return undefined;
  for (const [pattern, runtime] of scopePatterns) {
    const m = pattern.exec(leaf);
    if (m === null) continue;
    const parent = segments[segments.length - 2];
    const pod = parent === undefined ? null : podPattern.exec(parent);
    const podUid = pod === null ? undefined : (pod[1] ?? pod[2] ?? '').replace(/_/g, '-');
    // A bare 64-hex directory is a container only under a pod (cgroupfs driver) or /docker.
    if (runtime === '' && podUid === undefined && parent !== 'docker') return undefined;
    return { cgroup: `/${segments.join('/')}`, containerId: m[1] as string, runtime: runtime === '' && parent === 'docker' ? 'docker' : runtime, podUid };
  }
  return undefined;
}
