import type { InstanceRecord } from '../director/types.js';
import type { DesiredInstance } from './desired.js';

/** The kinds of difference between what an instance is and what the manifest wants. */
export type ChangeKind =
  | 'new'
  | 'vm_missing'
  | 'vm_type_changed'
  | 'networks_changed'
  | 'persistent_disk_changed'
  | 'jobs_changed'
  | 'packages_changed'
  | 'configuration_changed'
  | 'never_applied'
  | 'unverified'
  | 'state_changed';

type Predicate = (actual: InstanceRecord, desired: DesiredInstance) => boolean;

const jobsKey = (jobs: readonly { name: string; release: string }[]): string => jobs.map((j) => `${j.release}/${j.name}`).sort().join(',');
const hashesKey = (xs: readonly { name: string; hash?: string; fingerprint?: string }[]): string =>
  xs.map((x) => `${x.name}:${x.hash ?? x.fingerprint ?? ''}`).sort().join(',');

/** One named predicate per change kind, checked for every existing instance. Order is the report order. */
export const changePredicates: readonly (readonly [ChangeKind, Predicate])[] = [
  ['vm_missing', (a) => a.vmCid === null],
  ['vm_type_changed', (a, d) => a.vmType !== null && a.vmType !== d.vmType],
  ['networks_changed', (a, d) => a.networks.join(',') !== d.networks.join(',')],
  ['persistent_disk_changed', (a, d) => a.diskSizeMb !== d.diskSizeMb],
  ['never_applied', (a) => a.applied === null],
  // The last update was interrupted or its watch failed: apply again and watch again.
  ['unverified', (a) => a.applied !== null && !a.appliedOk],
  ['jobs_changed', (a, d) => a.applied !== null && jobsKey(a.applied.jobs) !== jobsKey(d.jobs)],
  ['packages_changed', (a, d) => a.applied !== null && hashesKey(a.applied.packages) !== hashesKey(d.packages)],
  ['configuration_changed', (a, d) => a.applied !== null && jobsKey(a.applied.jobs) === jobsKey(d.jobs) && hashesKey(a.applied.jobs) !== hashesKey(d.jobs)],
  ['state_changed', (a, d) => a.applied !== null && a.applied.state !== d.state],
];

export function changesOf(actual: InstanceRecord | null, desired: DesiredInstance): ChangeKind[] {
  if (actual === null) return ['new'];
  return changePredicates.filter(([, p]) => p(actual, desired)).map(([k]) => k);
}

/** What the updater does to an instance, least disruptive that covers every change. */
export type InstanceAction = 'create' | 'recreate' | 'update' | 'start' | 'stop' | 'none';

export function actionFor(changes: readonly ChangeKind[], desiredState: 'started' | 'stopped'): InstanceAction {
  const has = (k: ChangeKind): boolean => changes.includes(k);
  if (has('new') || has('vm_missing')) return 'create';
  if (has('vm_type_changed') || has('networks_changed')) return 'recreate';
  if (has('jobs_changed') || has('packages_changed') || has('configuration_changed') || has('persistent_disk_changed') || has('never_applied') || has('unverified')) return 'update';
  if (has('state_changed')) return desiredState === 'started' ? 'start' : 'stop';
  return 'none';
}
