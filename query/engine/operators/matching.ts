import type { Labels } from '../../../core/index.js';
import { METRIC_NAME } from '../../../core/index.js';

/**
 * Match signatures (Prometheus' signatureFunc): the part of a label set two vectors are
 * matched on. `on (l…)` keeps exactly those labels (the metric name too, when listed);
 * `ignoring (l…)` and no modifier keep every label but those and the metric name. A label with
 * an empty value counts as absent, as it does in Prometheus, where it cannot exist.
 */
export type SignatureFn = (labels: Labels) => string;

export function signatureFn(on: boolean, names: readonly string[]): SignatureFn {
  if (on) {
    const sorted = [...new Set(names)].sort();
    return (labels) => keyOf(labels, sorted);
  }
  const ignored = new Set([...names, METRIC_NAME]);
  return (labels) => keyOf(labels, Object.keys(labels).filter((name) => !ignored.has(name)).sort());
}

/**
 * An unambiguous key for `names` (sorted) of a label set: values are length-prefixed, so no
 * value can forge a separator, and label names cannot contain '='.
 */
export function keyOf(labels: Labels, sortedNames: readonly string[]): string {
  let key = '';
  for (const name of sortedNames) {
    const value = labels[name];
    if (value === undefined || value === '') continue;
    key += `${name}=${value.length}:${value}`;
  }
  return key;
}

/** The labels a signature is made of (Prometheus' Labels.MatchLabels), to name the match group in errors. */
export function matchedLabels(labels: Labels, on: boolean, names: readonly string[]): Labels {
  const listed = new Set(names);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (value === '') continue;
    if (on ? listed.has(name) : !listed.has(name) && name !== METRIC_NAME) out[name] = value;
  }
  return out;
}

/** Every label name of a set, sorted: with keyOf, the identity of a whole label set. */
export function labelsOf(labels: Labels): string[] {
  return Object.keys(labels).sort();
}
