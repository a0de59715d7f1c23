import { randomUUID } from 'node:crypto';
import { VigilError } from '../../core/index.js';
import type { ApplyPackage } from '../agent/index.js';
import type { InstanceRecord } from '../director/types.js';
import type { Manifest, UpdateConfig } from '../manifest/index.js';
import { renderJob, resolveProperties } from '../release/index.js';
import type { LinkInstance, Release, RenderedJob } from '../release/index.js';
import { actionFor, changesOf } from './changes.js';
import type { ChangeKind, InstanceAction } from './changes.js';
import type { DesiredInstance } from './desired.js';
import type { IpPool } from './network.js';
import { wireLinks } from './links.js';
import { interpolate } from './variables.js';

export interface PlannedInstance {
  readonly name: string;
  readonly desired: DesiredInstance;
  readonly actual: InstanceRecord | null;
  readonly changes: readonly ChangeKind[];
  readonly action: InstanceAction;
}

export interface GroupPlan {
  readonly name: string;
  readonly update: UpdateConfig;
  readonly instances: readonly PlannedInstance[];
}

export interface Plan {
  readonly deployment: string;
  readonly groups: readonly GroupPlan[];
  /** Instances no longer in the manifest: deleted with their VMs and disks. */
  readonly obsolete: readonly InstanceRecord[];
}

export interface PlanInput {
  readonly manifest: Manifest;
  readonly releases: ReadonlyMap<string, Release>;
  readonly actual: readonly InstanceRecord[];
  readonly variables: ReadonlyMap<string, unknown>;
  readonly ips: IpPool;
}

interface Identity {
  readonly id: string;
  readonly az: string;
  readonly ip: string;
}

/**
 * Compares desired and actual state instance by instance. Rendering happens here (as in BOSH) so that a
 * change of properties or links shows up as `configuration_changed` of exactly the instances it affects.
 */
export function planDeployment(input: PlanInput): Plan {
  const { manifest, releases, actual } = input;
  const byKey = new Map(actual.map((a) => [`${a.group}/${a.index}`, a]));

  // 1. Identity and address of every desired instance (needed before rendering: links carry addresses).
  const identities = new Map<string, Identity>();
  manifest.instance_groups.forEach((g, gi) => {
    const statics = g.networks[0]?.static_ips;
    for (let i = 0; i < g.instances; i++) {
      const key = `${g.name}/${i}`;
      const cur = byKey.get(key);
      const wantedIp = statics?.[i];
      let ip: string;
      if (cur !== undefined && (wantedIp === undefined || wantedIp === cur.ip)) ip = cur.ip;
      else if (wantedIp !== undefined) {
        input.ips.claim(wantedIp, `instance_groups.${gi}.networks.0.static_ips.${i}`);
        ip = wantedIp;
      } else ip = input.ips.take();
      identities.set(key, { id: cur?.id ?? randomUUID(), az: cur?.az ?? (g.azs[i % g.azs.length] as string), ip });
    }
  });
  const linkInstances = (group: string): LinkInstance[] => {
    const g = manifest.instance_groups.find((x) => x.name === group);
    return Array.from({ length: g?.instances ?? 0 }, (_v, i) => {
      const id = identities.get(`${group}/${i}`) as Identity;
      return { name: group, index: i, id: id.id, az: id.az, address: id.ip, bootstrap: i === 0 };
    });
  };

  // 2. Properties per job of each group, with variables interpolated.
  const props = new Map<string, Map<string, unknown>>();
  const jobOf = (release: string, name: string, where: string): Release['jobs'][number] => {
    const r = releases.get(release);
    const job = r?.jobs.find((j) => j.name === name);
    if (r === undefined || job === undefined) throw new VigilError('bad_data', `${where}: release "${release}" has no job "${name}"`);
    return job;
  };
  manifest.instance_groups.forEach((g, gi) =>
    g.jobs.forEach((j, ji) => {
      const where = `instance_groups.${gi}.jobs.${ji} (${g.name}/${j.name})`;
      const job = jobOf(j.release, j.name, where);
      props.set(`${g.name}/${j.name}`, resolveProperties(job.spec, interpolate(j.properties, input.variables, `${where}.properties`) as Record<string, unknown>, where));
    }),
  );
  const propertiesOf = (group: string, job: string): Map<string, unknown> => props.get(`${group}/${job}`) ?? new Map<string, unknown>();

  // 3. Desired instances, rendered, compared with what is there.
  const groups: GroupPlan[] = manifest.instance_groups.map((g, gi) => {
    const links = g.jobs.map((_j, ji) => wireLinks(manifest, releases, gi, ji, linkInstances, propertiesOf));
    const packages = new Map<string, ApplyPackage>();
    for (const j of g.jobs) {
      const rel = releases.get(j.release) as Release;
      for (const pname of jobOf(j.release, j.name, g.name).spec.packages) {
        const p = rel.packages.find((x) => x.name === pname);
        if (p !== undefined) packages.set(pname, { name: p.name, host_binaries: p.spec.host_binaries ?? [], files: p.files, fingerprint: p.fingerprint });
      }
    }
    const instances: PlannedInstance[] = [];
    for (let i = 0; i < g.instances; i++) {
      const key = `${g.name}/${i}`;
      const ident = identities.get(key) as Identity;
      const cur = byKey.get(key) ?? null;
      const jobs: RenderedJob[] = g.jobs.map((j, ji) =>
        renderJob(jobOf(j.release, j.name, g.name), j.release, propertiesOf(g.name, j.name), links[ji] ?? new Map(), {
          deployment: manifest.name,
          name: g.name,
          index: i,
          id: ident.id,
          az: ident.az,
          address: ident.ip,
          bootstrap: i === 0,
        }),
      );
      const desired: DesiredInstance = {
        group: g.name,
        index: i,
        id: ident.id,
        az: ident.az,
        ip: ident.ip,
        bootstrap: i === 0,
        vmType: g.vm_type,
        networks: g.networks.map((n) => n.name),
        diskSizeMb: g.persistent_disk,
        state: cur?.desiredState ?? 'started',
        jobs,
        packages: [...packages.values()],
      };
      const changes = changesOf(cur, desired);
      instances.push({ name: key, desired, actual: cur, changes, action: actionFor(changes, desired.state) });
    }
    return { name: g.name, update: { ...manifest.update, ...g.update }, instances };
  });

  const wanted = new Set(identities.keys());
  const obsolete = actual.filter((a) => !wanted.has(`${a.group}/${a.index}`));
  return { deployment: manifest.name, groups, obsolete };
}

/** A plan as plain lines for dry-run output and task results. */
export function describePlan(plan: Plan): { instance: string; action: InstanceAction | 'delete'; changes: readonly string[] }[] {
  return [
    ...plan.obsolete.map((o) => ({ instance: `${o.group}/${o.index}`, action: 'delete' as const, changes: ['obsolete'] })),
    ...plan.groups.flatMap((g) => g.instances.map((i) => ({ instance: i.name, action: i.action, changes: i.changes }))),
  ];
}
