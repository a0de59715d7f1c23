import { createHash } from 'node:crypto';
import { VigilError } from '../../core/index.js';
import type { ReleaseJob } from './spec.js';
import { parseTemplate, renderNodes } from './template.js';

/** What a template knows about the instance it is rendered for (BOSH's `spec`). */
export interface InstanceInfo {
  readonly deployment: string;
  readonly name: string;
  readonly index: number;
  readonly id: string;
  readonly az: string;
  readonly address: string;
  readonly bootstrap: boolean;
}

/** An instance as a link shows it to consumers: everything but the deployment. */
export type LinkInstance = Omit<InstanceInfo, 'deployment'>;

/** A resolved link: the providing group's instances and the properties the provider shares. */
export interface ResolvedLink {
  readonly instances: readonly LinkInstance[];
  readonly properties: Readonly<Record<string, unknown>>;
}

/** One job rendered for one instance: files to write, processes to run. Plain data, sent to the agent. */
export interface RenderedJob {
  readonly name: string;
  readonly release: string;
  readonly files: Readonly<Record<string, string>>;
  readonly processes: readonly { name: string; executable: string; args: readonly string[] }[];
  readonly packages: readonly string[];
  /** Changes whenever any rendered byte or process definition changes: the planner's configuration check. */
  readonly hash: string;
}

function linkObject(name: string, link: ResolvedLink): Record<string, unknown> {
  return {
    instances: link.instances,
    address: link.instances[0]?.address ?? '',
    properties: link.properties,
    p: (prop: unknown): unknown => {
      const key = String(prop);
      if (!Object.hasOwn(link.properties, key)) throw new Error(`link "${name}" does not share property "${key}"`);
      return link.properties[key];
    },
  };
}

/** Renders every template of a job; errors name the job, the template and the line. */
export function renderJob(
  job: ReleaseJob,
  release: string,
  properties: ReadonlyMap<string, unknown>,
  links: ReadonlyMap<string, ResolvedLink | null>,
  spec: InstanceInfo,
): RenderedJob {
  const scope: Record<string, unknown> = {
    spec: { ...spec, ip: spec.address, job: { name: job.name } },
    p: (name: unknown, ...fallback: unknown[]): unknown => {
      const key = String(name);
      if (properties.has(key)) return properties.get(key);
      if (fallback.length > 0) return fallback[0];
      if (!(key in job.spec.properties)) throw new Error(`property "${key}" is not declared`);
      throw new Error(`property "${key}" has no value and no default`);
    },
    if_p: (name: unknown): boolean => properties.has(String(name)),
    link: (name: unknown): unknown => {
      const key = String(name);
      if (!links.has(key)) throw new Error(`job does not consume a link named "${key}"`);
      const l = links.get(key);
      if (l === null || l === undefined) throw new Error(`optional link "${key}" is not wired; guard it with if_link`);
      return linkObject(key, l);
    },
    if_link: (name: unknown): boolean => links.get(String(name)) != null,
    join: (list: unknown, sep: unknown): string => (Array.isArray(list) ? list.map(String).join(String(sep ?? ',')) : String(list)),
    json: (v: unknown): string => JSON.stringify(v),
  };
  const files: Record<string, string> = {};
  for (const [src, dest] of Object.entries(job.spec.templates)) {
    const where = `job ${job.name}: templates/${src}`;
    const text = job.templates[src];
    if (text === undefined) throw new VigilError('bad_data', `${where} is missing from the release`);
    files[dest] = renderNodes(parseTemplate(text, where), scope, where);
  }
  const processes = job.spec.processes.map((p) => ({ name: p.name, executable: p.executable, args: p.args }));
  const hash = createHash('sha256').update(JSON.stringify({ files, processes, packages: job.spec.packages })).digest('hex').slice(0, 16);
  return { name: job.name, release, files, processes, packages: job.spec.packages, hash };
}
