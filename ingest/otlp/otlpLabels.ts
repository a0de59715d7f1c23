import type { AttributeValue, Attributes } from '../../core/index.js';
import type { OtlpCursor } from './otlpCursor.js';
import { promLabelName } from './promNames.js';
import { readAnyValueAsText, readArray, readKeyValues, readObject, readString } from './otlpValues.js';

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
 * Adds a repeated KeyValue as labels (names sanitised). When two keys sanitise to the same
 * name, the values are joined with `;` in the order of their original keys, as the spec says.
 */
export function addAttributeLabels(labels: Record<string, string>, v: unknown, cur: OtlpCursor, field: string): void {
  const list = readArray(v, cur, field);
  let collided: Map<string, [string, string][]> | undefined;
  for (let i = 0; i < list.length; i++) {
    const kv = readObject(list[i], cur, `${field}[${i}]`);
    if (kv === undefined) continue;
    const key = readString(kv.key, cur, `${field}[${i}].key`);
    if (key.length === 0) continue;
    const name = promLabelName(key);
    const text = readAnyValueAsText(kv.value, cur, `${field}[${i}].value`);
    if (labels[name] !== undefined && name !== '__name__') {
      collided ??= new Map();
      let values = collided.get(name);
      if (values === undefined) {
        values = [];
        collided.set(name, values);
      }
      values.push([key, text]);
    } else {
      labels[name] = text;
    }
  }
  if (collided !== undefined) joinCollisions(labels, list, collided);
}

function joinCollisions(labels: Record<string, string>, list: readonly unknown[], collided: Map<string, [string, string][]>): void {
  for (const [name, later] of collided) {
    // Find the first key that produced `name`: it is the one whose value is in `labels`.
    let firstKey = '';
    for (const item of list) {
      const key = (item as { key?: unknown }).key;
      if (typeof key === 'string' && key.length > 0 && promLabelName(key) === name) {
        firstKey = key;
        break;
      }
    }
    const all: [string, string][] = [[firstKey, labels[name] as string], ...later];
    all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    labels[name] = all.map((p) => p[1]).join(';');
  }
}

/** Resource attributes as labels (all but the service ones that became job/instance). */
export function resourceLabels(resource: ResourceView, skip: ReadonlySet<string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(resource.attributes).sort()) {
    if (skip.has(key) || key.length === 0) continue;
    const name = promLabelName(key);
    const text = attributeText(resource.attributes[key] as AttributeValue);
    labels[name] = labels[name] === undefined ? text : `${labels[name]};${text}`;
  }
  return labels;
}
