import type { Labels, TimeSeries } from '../../core/index.js';
import { STALE_NAN } from '../../core/index.js';
import type { ParsedExposition } from '../../ingest/index.js';
import { labelKey } from './labelKey.js';
import type { RelabelRule } from './relabel.js';
import { relabel } from './relabel.js';

/** What appendScrape needs of a job. */
export interface AppendOptions {
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly metricRelabel: readonly RelabelRule[];
  /** 0: no limit (each of the four). */
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
}

export interface AppendResult {
  /** The samples to write, then a stale marker for each series of the previous scrape that is gone. */
  readonly series: TimeSeries[];
  /** This scrape's series without explicit timestamps: the previous set of the next scrape. */
  readonly current: Map<string, Labels>;
  /** Samples in the exposition (scrape_samples_scraped). */
  readonly scraped: number;
  /** Samples left after metric_relabel_configs (scrape_samples_post_metric_relabeling). */
  readonly postRelabel: number;
  /** Series not in the previous scrape (scrape_series_added). */
  readonly seriesAdded: number;
  /** Set when a limit failed the whole scrape: then `series` holds only stale markers, as Prometheus writes none of it. */
  readonly error?: string;
}

/**
 * Turns a parsed scrape into series, as Prometheus' scrape loop appends it: target labels added
 * (honor_labels: the exposed ones win; else the target's win and clashing exposed labels become
 * exported_<name>), metric_relabel_configs, the sample and label limits, honor_timestamps, and
 * staleness — a series of the previous scrape (without an explicit timestamp) that is missing
 * now gets Prometheus' stale NaN at this scrape's time.
 */
export function appendScrape(parsed: ParsedExposition, targetLabels: Labels, options: AppendOptions, timestampMs: number, previous: ReadonlyMap<string, Labels>): AppendResult {
  const series: TimeSeries[] = [];
  const current = new Map<string, Labels>();
  const seen = new Set<string>();
  let seriesAdded = 0;
  for (const sample of parsed.samples) {
    const labels = withTargetLabels(sample.labels, targetLabels, options.honorLabels);
    if (options.metricRelabel.length > 0 && !relabel(labels, options.metricRelabel)) continue;
    if ((labels.__name__ ?? '') === '') continue;
    const limitProblem = labelLimitProblem(labels, options);
    if (limitProblem !== undefined) return failed(limitProblem, parsed.samples.length, series.length, previous, timestampMs);
    const key = labelKey(labels);
    if (seen.has(key)) continue; // a duplicate series: Prometheus keeps the first sample
    seen.add(key);
    const explicit = options.honorTimestamps && sample.timestampMs !== undefined;
    if (!explicit) current.set(key, labels);
    if (!previous.has(key)) seriesAdded++;
    series.push({ labels, samples: [{ t: explicit ? (sample.timestampMs as number) : timestampMs, v: sample.value }] });
  }
  const postRelabel = series.length;
  if (options.sampleLimit > 0 && postRelabel > options.sampleLimit) {
    return failed(`sample_limit exceeded: ${postRelabel} samples, limit ${options.sampleLimit}`, parsed.samples.length, postRelabel, previous, timestampMs);
  }
  for (const [key, labels] of previous) if (!current.has(key)) series.push({ labels, samples: [{ t: timestampMs, v: STALE_NAN }] });
  return { series, current, scraped: parsed.samples.length, postRelabel, seriesAdded };
}

/** Stale markers for every series of the previous scrape: a failed scrape, or a target that went away. */
export function staleMarkers(previous: ReadonlyMap<string, Labels>, timestampMs: number): TimeSeries[] {
  return [...previous.values()].map((labels) => ({ labels, samples: [{ t: timestampMs, v: STALE_NAN }] }));
}

function failed(error: string, scraped: number, postRelabel: number, previous: ReadonlyMap<string, Labels>, timestampMs: number): AppendResult {
  return { series: staleMarkers(previous, timestampMs), current: new Map(), scraped, postRelabel, seriesAdded: 0, error };
}

function withTargetLabels(exposed: Record<string, string>, target: Labels, honor: boolean): Record<string, string> {
  const labels = exposed;
  if (honor) {
    for (const name in target) if (!(name in labels)) labels[name] = target[name] as string;
  } else {
    let conflicts: [string, string][] | undefined;
    for (const name in target) {
      const existing = labels[name] ?? '';
      if (existing !== '') (conflicts ??= []).push([name, existing]);
      labels[name] = target[name] as string;
    }
    if (conflicts !== undefined) resolveConflicts(labels, exposed, target, conflicts);
  }
  for (const name in labels) if (labels[name] === '') delete labels[name];
  return labels;
}

/** Prometheus' resolveConflictingExposedLabels: shortest names first, `exported_` prepended until the name is free. */
function resolveConflicts(labels: Record<string, string>, exposed: Record<string, string>, target: Labels, conflicts: [string, string][]): void {
  // `exposed` is `labels` (changed in place): what was exposed is the conflicts plus what the target did not touch.
  const clashed = new Set(conflicts.map(([n]) => n));
  const exposedHas = (n: string): boolean => (n in exposed && !(n in target)) || clashed.has(n);
  conflicts.sort((a, b) => a[0].length - b[0].length);
  const taken: string[] = [];
  for (const conflict of conflicts) {
    let name = conflict[0];
    do name = `exported_${name}`;
    while (exposedHas(name) || name in target || taken.includes(name));
    taken.push(name);
    conflict[0] = name;
  }
  for (const [name, value] of conflicts) labels[name] = value;
}

function labelLimitProblem(labels: Record<string, string>, o: AppendOptions): string | undefined {
  if (o.labelLimit === 0 && o.labelNameLengthLimit === 0 && o.labelValueLengthLimit === 0) return undefined;
  const metric = (labels.__name__ ?? '').slice(0, 50);
  const names = Object.keys(labels);
  if (o.labelLimit > 0 && names.length > o.labelLimit) return `label_limit exceeded (metric: ${metric}, number of labels: ${names.length}, limit: ${o.labelLimit})`;
  for (const name of names) {
    if (o.labelNameLengthLimit > 0 && name.length > o.labelNameLengthLimit) return `label_name_length_limit exceeded (metric: ${metric}, label name: ${name.slice(0, 50)}, length: ${name.length}, limit: ${o.labelNameLengthLimit})`;
    const v = labels[name] as string;
    if (o.labelValueLengthLimit > 0 && v.length > o.labelValueLengthLimit) return `label_value_length_limit exceeded (metric: ${metric}, label name: ${name.slice(0, 50)}, value: ${JSON.stringify(v.slice(0, 50))}, length: ${v.length}, limit: ${o.labelValueLengthLimit})`;
  }
  return undefined;
}

/** The five series Prometheus reports about every scrape, with the target's labels. */
export interface ScrapeReport {
  readonly up: boolean;
  readonly durationSeconds: number;
  readonly scraped: number;
  readonly postRelabel: number;
  readonly seriesAdded: number;
}

export const REPORT_METRICS = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'] as const;

export function reportSeries(targetLabels: Labels, timestampMs: number, report: ScrapeReport | 'stale'): TimeSeries[] {
  // STALE_NAN goes straight into the sample: V8 canonicalises NaNs kept in a numbers-only array, which would lose its payload.
  const values = report === 'stale' ? undefined : [report.up ? 1 : 0, report.durationSeconds, report.scraped, report.postRelabel, report.seriesAdded];
  return REPORT_METRICS.map((name, i) => ({ labels: { ...targetLabels, __name__: name }, samples: [{ t: timestampMs, v: values === undefined ? STALE_NAN : (values[i] as number) }] }));
}
