import type { AttributeValue, Attributes } from '../../core/index.js';
import type { OtlpCursor } from './otlpCursor.js';
import { promLabelName } from './promNames.js';
import { hasOwn, readAnyValueAsText, readArray, readKeyValues, readObject, readString } from './otlpValues.js';

/** Resource attributes that name the job and instance (the spec's mapping) rather than becoming labels. */
export const SERVICE_NAME = 'service.name';
export const SERVICE_NAMESPACE = 'service.namespace';
export const SERVICE_INSTANCE_ID = 'service.instance.id';

/** A resource, read once per ResourceMetrics / ResourceLogs. */
export interface ResourceView {
  /** `service.namespace/service.name`, or `service.name`; undefined when absent. */
  readonly job: string | undefined;
  /** `service.instance.id`; undefined when absent. */
  readonly instance: string | undefined;
  readonly attributes: Attributes;
}

export function readResource(v: unknown, cur: OtlpCursor, field: string): ResourceView {
  const resource = readObject(v, cur, field);
  const attributes = readKeyValues(resource?.attributes, cur, `${field}.attributes`);
  const name = attributes[SERVICE_NAME];
  const namespace = attributes[SERVICE_NAMESPACE];
  const instance = attributes[SERVICE_INSTANCE_ID];
  const nameText = name === undefined ? undefined : attributeText(name);
  const job = nameText === undefined || nameText.length === 0 ? undefined : namespace === undefined || attributeText(namespace).length === 0 ? nameText : `${attributeText(namespace)}/${nameText}`;
  const instanceText = instance === undefined ? undefined : attributeText(instance);
  return { job, instance: instanceText === undefined || instanceText.length === 0 ? undefined : instanceText, attributes };
}

/** An attribute value as label text: scalars as written, lists and maps as JSON. */
export function attributeText(v: AttributeValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === null ? '' : JSON.stringify(v);
}

/**
 * A repeated KeyValue as a flat [key, text, key, text, ...] list: values as label text (scalars as
 * written, lists and maps as JSON). The protobuf fast path produces the same list while decoding.
 */
export function readAttributePairs(v: unknown, cur: OtlpCursor, field: string): string[] {
  const list = readArray(v, cur, field);
  const pairs: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const kv = readObject(list[i], cur, `${field}[${i}]`);
    if (kv === undefined) continue;
    pairs.push(readString(kv.key, cur, `${field}[${i}].key`), readAnyValueAsText(kv.value, cur, `${field}[${i}].value`));
  }
  return pairs;
}

/**
 * Labels from attribute pairs, names sanitised; empty keys are dropped. When two keys sanitise
 * to the same name, their values are joined with `;` in the order of the original keys, as the
 * specification says.
 */
export function labelsFromPairs(pairs: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i] as string;
    if (key.length === 0) continue;
    const name = promLabelName(key);
    if (hasOwn(labels, name)) return labelsFromCollidingPairs(pairs);
    labels[name] = pairs[i + 1] as string;
  }
  return labels;
}

/** The rare path: group by sanitised name, order each group by original key, join. */
function labelsFromCollidingPairs(pairs: readonly string[]): Record<string, string> {
  const groups = new Map<string, [string, string][]>();
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i] as string;
    if (key.length === 0) continue;
    const name = promLabelName(key);
    const group = groups.get(name) ?? [];
    group.push([key, pairs[i + 1] as string]);
    groups.set(name, group);
  }
  const labels: Record<string, string> = {};
  for (const [name, group] of groups) {
    group.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    labels[name] = group.map((g) => g[1]).join(';');
  }
  return labels;
}

/** Resource attributes as labels (all but the service ones that became job/instance). */
export function resourceLabels(resource: ResourceView, skip: ReadonlySet<string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(resource.attributes).sort()) {
    if (skip.has(key) || key.length === 0) continue;
    const name = promLabelName(key);
    const text = attributeText(resource.attributes[key] as AttributeValue);
    labels[name] = hasOwn(labels, name) ? `${labels[name]};${text}` : text;
  }
  return labels;
}
