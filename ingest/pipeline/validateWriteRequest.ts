import type { Event, Labels, Limits, LogRecord, MetricMetadata, TimeSeries, TimestampReason } from '../../core/index.js';
import { checkSeriesLabels, formatSeries, sampleAgeLimitMs, timestampProblem, isValidLabelName, isValidMetricName, metricTypes, quote } from '../../core/index.js';
import type { Rejections } from './rejections.js';

/** What remains of a write request after validation. */
export interface ValidRecords {
  readonly series: TimeSeries[];
  readonly metadata: readonly MetricMetadata[];
  readonly logs: LogRecord[];
  readonly events: Event[];
  readonly sampleCount: number;
}

/**
 * Drops every invalid series, sample, log record and event, recording each in `rejections`
 * with a message that names it. Series with some bad samples keep the good ones.
 */
export function validateWriteRequest(
  req: { series: readonly TimeSeries[]; metadata: readonly MetricMetadata[]; logs: readonly LogRecord[]; events: readonly Event[] },
  limits: Limits,
  nowMs: number,
  rejections: Rejections,
): ValidRecords {
  const series: TimeSeries[] = [];
  let sampleCount = 0;
  for (const s of req.series) {
    const kept = validSeries(s, limits, nowMs, rejections);
    if (kept !== undefined) {
      series.push(kept);
      sampleCount += kept.samples.length;
    }
  }
  const logs: LogRecord[] = [];
  for (const r of req.logs) {
    const problem = checkLogRecord(r, limits, nowMs);
    if (problem === undefined) logs.push(r);
    else rejections.add('logs', problem.reason, 1, problem.message);
  }
  const events: Event[] = [];
  for (const e of req.events) {
    const problem = checkEvent(e, limits, nowMs);
    if (problem === undefined) events.push(e);
    else rejections.add('events', problem.reason, 1, problem.message);
  }
  // Metadata is advisory (not a record): entries that could not describe a series are dropped silently.
  // It is kept with valid series, or alone when the request carried no series at all (Prometheus'
  // remote write sends metadata in requests of its own); a request whose series were all refused drops it.
  const metadata = series.length > 0 || req.series.length === 0 ? req.metadata.filter(isUsableMetadata) : [];
  return { series, metadata, logs, events, sampleCount };
}

const knownTypes: ReadonlySet<string> = new Set(metricTypes);

function isUsableMetadata(m: MetricMetadata): boolean {
  return isValidMetricName(m.metricFamilyName) && knownTypes.has(m.type) && typeof m.unit === 'string' && typeof m.help === 'string';
}

function validSeries(s: TimeSeries, limits: Limits, nowMs: number, rejections: Rejections): TimeSeries | undefined {
  const labelProblem = checkSeriesLabels(s.labels, limits);
  if (labelProblem !== undefined) {
    const reason = Object.keys(s.labels).length > limits.maxLabelsPerSeries ? 'too_many_labels' : 'invalid_labels';
    rejections.add('samples', reason, s.samples.length, labelProblem);
    return undefined;
  }
  const minT = nowMs - sampleAgeLimitMs(limits);
  const maxT = nowMs + limits.maxFutureMs;
  let kept: { t: number; v: number }[] | undefined;
  for (let i = 0; i < s.samples.length; i++) {
    const sample = s.samples[i] as { t: number; v: number };
    const t = sample.t;
    // Fast path: a plausible integer timestamp. Only bad samples pay for a message.
    if (t >= minT && t <= maxT && Number.isInteger(t)) {
      kept?.push(sample);
      continue;
    }
    if (kept === undefined) kept = s.samples.slice(0, i) as { t: number; v: number }[];
    const problem =
      Number.isFinite(t) && !Number.isInteger(t)
        ? { reason: 'bad_timestamp' as const, message: `timestamp ${t} is not a whole number of milliseconds` }
        : (timestampProblem(t, nowMs, limits) ?? { reason: 'bad_timestamp' as const, message: `timestamp ${t} is invalid` });
    // Only the first rejection per reason keeps its message: skip formatting the series for the rest.
    const message = rejections.hasMessage('samples', problem.reason) ? '' : `${formatSeries(s.labels)}: ${problem.message}`;
    rejections.add('samples', problem.reason, 1, message);
  }
  if (kept === undefined) return s.samples.length > 0 ? s : undefined;
  return kept.length > 0 ? { labels: s.labels, samples: kept } : undefined;
}

interface Problem {
  reason: 'invalid_labels' | 'too_many_labels' | TimestampReason | 'line_too_long' | 'invalid_event';
  message: string;
}

function checkStreamLabels(labels: Labels, whatOf: () => string, limits: Limits): Problem | undefined {
  const keys = Object.keys(labels);
  if (keys.length > limits.maxLabelsPerSeries) {
    return { reason: 'too_many_labels', message: `${whatOf()} has ${keys.length} labels, more than the limit of ${limits.maxLabelsPerSeries}` };
  }
  for (const k of keys) {
    if (!isValidLabelName(k)) return { reason: 'invalid_labels', message: `invalid label name ${quote(k)} on ${whatOf()}: must match [a-zA-Z_][a-zA-Z0-9_]*` };
    if (k.length > limits.maxLabelNameLength) return { reason: 'invalid_labels', message: `label name ${quote(k, 64)} on ${whatOf()} is longer than ${limits.maxLabelNameLength}` };
    if ((labels[k] as string).length > limits.maxLabelValueLength) return { reason: 'invalid_labels', message: `value of label ${k} on ${whatOf()} is longer than ${limits.maxLabelValueLength}` };
  }
  return undefined;
}

const NS_PER_MS = 1_000_000n;

function checkLogRecord(r: LogRecord, limits: Limits, nowMs: number): Problem | undefined {
  // Named only when something is wrong: formatting the stream per record cost more than the rest.
  const what = (): string => `log record of stream ${formatSeries(r.stream)}`;
  const timeProblem = typeof r.timeNs === 'bigint' ? timestampProblem(Number(r.timeNs / NS_PER_MS), nowMs, limits) : { reason: 'bad_timestamp' as const, message: 'time is not a bigint of nanoseconds' };
  if (timeProblem !== undefined) return { reason: timeProblem.reason, message: `${what()}: ${timeProblem.message}` };
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit: skip the byte count for short lines.
  if (r.body.length * 3 > limits.maxLogLineBytes) {
    const bytes = Buffer.byteLength(r.body, 'utf8');
    if (bytes > limits.maxLogLineBytes) {
      return { reason: 'line_too_long', message: `${what()}: line of ${bytes} bytes is longer than the limit of ${limits.maxLogLineBytes}` };
    }
  }
  return checkStreamLabels(r.stream, what, limits);
}

function checkEvent(e: Event, limits: Limits, nowMs: number): Problem | undefined {
  const obj = e.involvedObject;
  const what = `event ${quote(e.reason, 64)} on ${quote(`${obj.kind}/${obj.name}`, 128)}`;
  if (e.reason.length === 0) return { reason: 'invalid_event', message: `${what}: reason is empty` };
  if (obj.kind.length === 0 || obj.name.length === 0) return { reason: 'invalid_event', message: `${what}: involved object needs a kind and a name` };
  for (const [field, t] of [['firstSeenMs', e.firstSeenMs], ['lastSeenMs', e.lastSeenMs]] as const) {
    const problem = timestampProblem(t, nowMs, limits);
    if (problem !== undefined) return { reason: problem.reason, message: `${what}: ${field}: ${problem.message}` };
  }
  if (e.firstSeenMs > e.lastSeenMs) return { reason: 'invalid_event', message: `${what}: firstSeenMs is after lastSeenMs` };
  return checkStreamLabels(e.labels, () => what, limits);
}
