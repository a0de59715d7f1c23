import type { Labels } from '../../../core/index.js';
import { METRIC_NAME } from '../../../core/index.js';
import type { VectorElement } from '../types.js';
import { keyOf } from './matching.js';

/** The elements of one aggregation group, in input order, and the labels the group's result carries. */
export interface Group {
  readonly labels: Labels;
  readonly members: VectorElement[];
}

/**
 * Splits a vector into aggregation groups, in order of first appearance (Prometheus emits its
 * groups in that order). `by (l…)` groups on those labels and keeps only them (the metric name
 * too, when listed; nothing for a bare `sum(x)`); `without (l…)` groups on every other label and
 * also drops the metric name.
 */
export function groupVector(vector: readonly VectorElement[], grouping: readonly string[], without: boolean): Group[] {
  const byKey = new Map<string, Group>();
  const groups: Group[] = [];
  const byNames = [...new Set(grouping)].sort();
  const dropped = new Set([...grouping, METRIC_NAME]);
  for (const element of vector) {
    const names = without ? Object.keys(element.labels).filter((n) => !dropped.has(n)).sort() : byNames;
    const key = keyOf(element.labels, names);
    let group = byKey.get(key);
    if (group === undefined) {
      group = { labels: pick(element.labels, names), members: [] };
      byKey.set(key, group);
      groups.push(group);
    }
    group.members.push(element);
  }
  return groups;
}

function pick(labels: Labels, names: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = labels[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
