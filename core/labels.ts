import { createHash } from 'node:crypto';
import type { Labels } from './model.js';

/** The label that holds a metric's name. */
export const METRIC_NAME = '__name__';

// Prometheus' rules: metric names may contain ':', label names may not; names starting with "__" are reserved.
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isValidLabelName(name: string): boolean {
  return labelNamePattern.test(name);
}

export function isValidMetricName(name: string): boolean {
  return metricNamePattern.test(name);
}

/** Label pairs sorted by name: the canonical order for hashing, storage and output. */
export function sortedLabelPairs(labels: Labels): [string, string][] {
  return Object.entries(labels).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The same label set with keys in sorted order (JSON output in Prometheus' order). */
export function sortLabels(labels: Labels): Labels {
  return Object.fromEntries(sortedLabelPairs(labels));
}

// A raw 0xff byte: it never occurs in UTF-8 text, so no label name or value can contain it.
// (The string '\xff' would be hashed as the UTF-8 of 'ÿ', which a value can contain.)
const SEP = Buffer.from([0xff]);

/**
 * Series identity: a stable 64-bit hash of the sorted label set. The bytes hashed are
 * name 0xff value 0xff ... so that {a="b,c"} and {a="b",c=""} differ. MD5 is used only as a
 * well-distributed, stable, native-speed hash (not for security); the first 8 bytes are the id.
 */
export function seriesId(labels: Labels): bigint {
  const h = createHash('md5');
  for (const [k, v] of sortedLabelPairs(labels)) {
    h.update(k);
    h.update(SEP);
    h.update(v);
    h.update(SEP);
  }
  return h.digest().readBigUInt64BE(0);
}

/** Prometheus' text form of a series: name{a="1", b="2"}. */
export function formatSeries(labels: Labels): string {
  const name = labels[METRIC_NAME] ?? '';
  const rest = sortedLabelPairs(labels)
    .filter(([k]) => k !== METRIC_NAME)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return rest.length === 0 ? name : `${name}{${rest}}`;
}
