import type { VigilConfig } from './config.js';
import { DEFAULT_RETENTION_MS } from './config.js';
import { isValidLabelName, isValidMetricName, METRIC_NAME } from './labels.js';
import { quote } from './quote.js';
import type { Labels } from './model.js';

export type Limits = VigilConfig['limits'];

/**
 * Checks one series' labels against Prometheus' rules and the configured limits.
 * Returns a message naming the problem, or undefined when the labels are acceptable.
 */
export function checkSeriesLabels(labels: Labels, limits: Limits): string | undefined {
  const name = labels[METRIC_NAME];
  if (name === undefined || name.length === 0) return 'series has no metric name (__name__ label)';
  if (!isValidMetricName(name)) return `invalid metric name ${quote(name)}: must match [a-zA-Z_:][a-zA-Z0-9_:]*`;
  let count = 0;
  for (const k in labels) {
    if (++count > limits.maxLabelsPerSeries) {
      return `series ${shown(name)} has ${Object.keys(labels).length} labels, more than the limit of ${limits.maxLabelsPerSeries}`;
    }
    if (k !== METRIC_NAME && !isValidLabelName(k)) return `invalid label name ${quote(k)} on ${shown(name)}: must match [a-zA-Z_][a-zA-Z0-9_]*`;
    if (k.length > limits.maxLabelNameLength) return `label name ${quote(k, 64)} on ${shown(name)} is longer than ${limits.maxLabelNameLength}`;
    const v = labels[k] as string;
    if (v.length > limits.maxLabelValueLength) return `value of label ${shown(k)} on ${shown(name)} is longer than ${limits.maxLabelValueLength}`;
  }
  return undefined;
}

/** A metric name for a message: as written when short, else quoted and cut. */
function shown(name: string): string {
  return name.length <= 64 ? name : quote(name, 64);
}

/** The oldest a sample may be: limits.maxSampleAgeMs as the composition root set it, else the default retention. */
export function sampleAgeLimitMs(limits: Limits): number {
  return limits.maxSampleAgeMs ?? DEFAULT_RETENTION_MS;
}

/** Why a timestamp is refused: each reason is counted apart in vigil_ingest_rejected_total. */
export type TimestampReason = 'bad_timestamp' | 'too_old' | 'too_far_in_future';

export interface TimestampProblem {
  readonly reason: TimestampReason;
  readonly message: string;
}

/** Checks a millisecond timestamp is finite and within [now - maxSampleAge, now + maxFutureMs]. */
export function timestampProblem(t: number, nowMs: number, limits: Limits): TimestampProblem | undefined {
  if (!Number.isFinite(t)) return { reason: 'bad_timestamp', message: `timestamp ${t} is not a finite number` };
  const maxAge = sampleAgeLimitMs(limits);
  if (t < nowMs - maxAge) return { reason: 'too_old', message: `timestamp ${formatMs(t)} is older than the accepted age of ${maxAge} ms` };
  if (t > nowMs + limits.maxFutureMs) return { reason: 'too_far_in_future', message: `timestamp ${formatMs(t)} is more than ${limits.maxFutureMs} ms in the future` };
  return undefined;
}

/** timestampProblem's message alone. */
export function checkTimestampMs(t: number, nowMs: number, limits: Limits): string | undefined {
  return timestampProblem(t, nowMs, limits)?.message;
}

/** ISO text for a millisecond timestamp, or the raw number when it is outside Date's range. */
function formatMs(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? `${t} ms` : d.toISOString();
}
