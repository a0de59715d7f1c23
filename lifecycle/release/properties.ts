import { VigilError } from '../../core/index.js';
import type { JobSpec } from './spec.js';

function leaves(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix.length > 0 ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
}

function lookup(props: Readonly<Record<string, unknown>>, dotted: string): { found: boolean; value: unknown } {
  if (Object.hasOwn(props, dotted)) return { found: true, value: props[dotted] };
  let node: unknown = props;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return { found: false, value: undefined };
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

/**
 * The values a job sees: manifest properties (nested or dotted keys) over spec defaults. A manifest key the
 * spec does not declare is an error naming the key and the job, so typos do not silently fall back to defaults.
 * A declared property with neither a value nor a default stays absent; reading it in a template is the error.
 */
export function resolveProperties(spec: JobSpec, manifestProps: Readonly<Record<string, unknown>>, where: string): Map<string, unknown> {
  const declared = Object.keys(spec.properties);
  const given = new Map<string, unknown>();
  leaves(manifestProps, '', given);
  for (const key of given.keys()) {
    if (key === '') continue;
    const ok = declared.some((d) => key === d || key.startsWith(`${d}.`) || d.startsWith(`${key}.`));
    if (!ok) throw new VigilError('bad_data', `${where}: property "${key}" is not declared by job "${spec.name}" (declared: ${declared.join(', ') || 'none'})`);
  }
  const out = new Map<string, unknown>();
  for (const name of declared) {
    const hit = lookup(manifestProps, name);
    const def = spec.properties[name]?.default;
    if (hit.found && hit.value !== null && hit.value !== undefined) out.set(name, hit.value);
    else if (def !== undefined) out.set(name, def);
  }
  return out;
}
