import type { VigilConfig } from './config.js';
import { isValidLabelName, isValidMetricName, METRIC_NAME } from './labels.js';
import type { Labels } from './model.js';

export type Limits = VigilConfig['limits'];

/**
 * Checks one series' labels against Prometheus' rules and the configured limits.
 * Returns a message naming the problem, or undefined when the labels are acceptable.
 */
export function checkSeriesLabels(labels: Labels, limits: Limits): string | undefined {
  const name = labels[METRIC_NAME];
  if (name === undefined || name.length === 0) return 'series has no metric name (__name__ label)';
  if (!isValidMetricName(name)) return `invalid metric name ${JSON.stringify(name)}: must match [a-zA-Z_:][a-zA-Z0-9_:]*`;
  let count = 0;
  for (const k in labels) {
    if (++count > limits.maxLabelsPerSeries) {
      return `series ${name} has ${Object.keys(labels).length} labels, more than the limit of ${limits.maxLabelsPerSeries}`;
    }
    if (k !== METRIC_NAME && !isValidLabelName(k)) return `invalid label name ${JSON.stringify(k)} on ${name}: must match [a-zA-Z_][a-zA-Z0-9_]*`;
    if (k.length > limits.maxLabelNameLength) return `label name ${JSON.stringify(k.slice(0, 64))}... on ${name} is longer than ${limits.maxLabelNameLength}`;
    const v = labels[k] as string;
    if (v.length > limits.maxLabelValueLength) return `value of label ${k} on ${name} is longer than ${limits.maxLabelValueLength}`;
  }
  return undefined;
}

/** Checks a millisecond timestamp is finite and within [now - maxSampleAgeMs, now + maxFutureMs]. */
export function checkTimestampMs(t: number, nowMs: number, limits: Limits): string | undefined {
  if (!Number.isFinite(t)) return `timestamp ${t} is not a finite number`;
  if (t < nowMs - limits.maxSampleAgeMs) return `timestamp ${formatMs(t)} is older than the accepted age of ${limits.maxSampleAgeMs} ms`;
  if (t > nowMs + limits.maxFutureMs) return `timestamp ${formatMs(t)} is more than ${limits.maxFutureMs} ms in the future`;
  return undefined;
}

/** ISO text for a millisecond timestamp, or the raw number when it is outside Date's range. */
function formatMs(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? `${t} ms` : d.toISOString();
}
