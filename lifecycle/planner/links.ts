import { VigilError } from '../../core/index.js';
import type { Manifest } from '../manifest/index.js';
import type { LinkInstance, Release, ResolvedLink } from '../release/index.js';

export interface Provider {
  readonly group: string;
  readonly job: string;
  readonly linkName: string;
  readonly type: string;
  readonly sharedProperties: readonly string[];
}

/** Every link some job of the deployment provides. */
export function providersOf(manifest: Manifest, releases: ReadonlyMap<string, Release>): Provider[] {
  const out: Provider[] = [];
  for (const g of manifest.instance_groups) {
    for (const j of g.jobs) {
      const job = releases.get(j.release)?.jobs.find((x) => x.name === j.name);
      for (const p of job?.spec.provides ?? []) out.push({ group: g.name, job: j.name, linkName: p.name, type: p.type, sharedProperties: p.properties });
    }
  }
  return out;
}

/**
 * Wires each consumed link of a job to a provider: the one named in the manifest (`consumes: {NAME: {from: JOB}}`),
 * else the single provider of the same type. None (and not optional) or several is an error that says so.
 */
export function wireLinks(
  manifest: Manifest,
  releases: ReadonlyMap<string, Release>,
  groupIndex: number,
  jobIndex: number,
  instancesOf: (group: string) => readonly LinkInstance[],
  propertiesOf: (group: string, job: string) => ReadonlyMap<string, unknown>,
): Map<string, ResolvedLink | null> {
  const g = manifest.instance_groups[groupIndex];
  const j = g?.jobs[jobIndex];
  if (g === undefined || j === undefined) throw new Error('no such job');
  const job = releases.get(j.release)?.jobs.find((x) => x.name === j.name);
  const where = `instance_groups.${groupIndex}.jobs.${jobIndex} (${g.name}/${j.name})`;
  const providers = providersOf(manifest, releases);
  const out = new Map<string, ResolvedLink | null>();
  for (const c of job?.spec.consumes ?? []) {
    const from = j.consumes?.[c.name]?.from;
    const candidates = providers.filter((p) => p.type === c.type && (from === undefined || p.job === from));
    if (candidates.length === 0) {
      if (c.optional) {
        out.set(c.name, null);
        continue;
      }
      throw new VigilError(
        'bad_data',
        `${where}: consumes link "${c.name}" of type "${c.type}"${from !== undefined ? ` from job "${from}"` : ''}, but no job of the deployment provides one`,
      );
    }
    if (candidates.length > 1)
      throw new VigilError(
        'bad_data',
        `${where}: link "${c.name}" of type "${c.type}" is provided by ${candidates.map((p) => `${p.group}/${p.job}`).join(' and ')}; choose one with consumes.${c.name}.from`,
      );
    const p = candidates[0] as Provider;
    const props = propertiesOf(p.group, p.job);
    out.set(c.name, {
      instances: instancesOf(p.group),
      properties: Object.fromEntries(p.sharedProperties.filter((k) => props.has(k)).map((k) => [k, props.get(k)])),
    });
  }
  return out;
}
