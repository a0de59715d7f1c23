import { createHash } from 'node:crypto';
import type { ApplySpec } from '../agent/index.js';
import type { InstanceRecord } from '../director/types.js';
import type { DesiredInstance } from '../planner/index.js';

/** Hash of what the agent must lay down: rendered jobs, packages and the disk. State is sent beside it. */
export function specHash(spec: Omit<ApplySpec, 'hash' | 'state'>): string {
  const parts = [...spec.jobs.map((j) => `${j.name}:${j.hash}`), ...spec.packages.map((p) => `${p.name}:${p.fingerprint}`), `disk:${spec.persistent_disk_cid ?? ''}`];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** The spec for an instance: from the manifest when updating, else the last applied one (resurrection). */
export function buildSpec(deployment: string, r: InstanceRecord, desired: DesiredInstance | null, state: 'started' | 'stopped'): ApplySpec {
  const base = desired ?? r.applied;
  if (base === null) throw new Error(`instance ${r.group}/${r.index} has never been deployed; deploy the manifest first`);
  const spec = {
    deployment,
    instance: { group: r.group, index: r.index, id: r.id, az: r.az },
    address: r.ip,
    jobs: base.jobs,
    packages: base.packages,
    persistent_disk_cid: r.diskCid,
  };
  return { ...spec, state, hash: specHash(spec) };
}
