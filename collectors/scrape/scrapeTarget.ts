import { createHash } from 'node:crypto';
import { formatDurationMs, isValidLabelName, parseDurationMs } from '../../core/index.js';
import { labelKey } from './labelKey.js';
import { relabel } from './relabel.js';
import type { ScrapeJob, TargetGroup } from './scrapeJob.js';

/** A target after service discovery and relabeling: what one scrape loop scrapes. */
export interface ScrapeTarget {
  readonly jobName: string;
  /** The labels every series of the target gets (job, instance, …): no `__` labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Identity within the job: all labels after relabeling (the `__` ones too) and the URL, as Prometheus hashes a target. */
  readonly key: string;
  /** A stable number from the key: where in the interval this target is scraped. */
  readonly hash: number;
}

export interface TargetsResult {
  readonly targets: ScrapeTarget[];
  /** Targets relabeling dropped (a keep/drop rule or no __address__). */
  readonly dropped: number;
  /** Targets refused, each with why (an invalid address, interval, or label). */
  readonly problems: string[];
}

/**
 * The targets of `groups` for `job`, as Prometheus' PopulateLabels makes them: group labels,
 * then job, __scheme__, __metrics_path__, __scrape_interval__, __scrape_timeout__ and __param_*
 * where unset; relabel_configs; a default port for the scheme; __meta_* dropped; instance
 * defaulting to __address__. Duplicates (same labels and URL) collapse into one target.
 */
export function targetsOf(job: ScrapeJob, groups: readonly TargetGroup[]): TargetsResult {
  const byKey = new Map<string, ScrapeTarget>();
  let dropped = 0;
  const problems: string[] = [];
  for (const group of groups) {
    for (const address of group.targets) {
      const labels: Record<string, string> = { ...group.labels, __address__: address };
      const defaults: Record<string, string> = {
        job: job.jobName,
        __scrape_interval__: formatDurationMs(job.intervalMs),
        __scrape_timeout__: formatDurationMs(job.timeoutMs),
        __metrics_path__: job.metricsPath,
        __scheme__: job.scheme,
      };
      for (const [name, value] of Object.entries(defaults)) if ((labels[name] ?? '') === '') labels[name] = value;
      for (const [name, values] of Object.entries(job.params)) if (values.length > 0) labels[`__param_${name}`] = values[0] as string;
      for (const name of Object.keys(labels)) if (labels[name] === '') delete labels[name];
      if (!relabel(labels, job.relabel) || (labels.__address__ ?? '') === '') {
        dropped++;
        continue;
      }
      const made = finishTarget(job, labels);
      if (typeof made === 'string') problems.push(`target ${JSON.stringify(address)} of ${group.source}: ${made}`);
      else if (!byKey.has(made.key)) byKey.set(made.key, made);
    }
  }
  return { targets: [...byKey.values()], dropped, problems };
}

function finishTarget(job: ScrapeJob, labels: Record<string, string>): ScrapeTarget | string {
  const scheme = labels.__scheme__ ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme ${JSON.stringify(scheme)}`;
  let address = labels.__address__ as string;
  if (address.includes('/')) return `${JSON.stringify(address)} is not a valid hostname`;
  if (!hasPort(address)) address = `${address}:${scheme === 'https' ? 443 : 80}`;
  labels.__address__ = address;
  const intervalMs = parseDurationMs(labels.__scrape_interval__ ?? '');
  const timeoutMs = parseDurationMs(labels.__scrape_timeout__ ?? '');
  if (intervalMs === undefined || intervalMs === 0) return `invalid scrape interval ${JSON.stringify(labels.__scrape_interval__ ?? '')}`;
  if (timeoutMs === undefined || timeoutMs === 0) return `invalid scrape timeout ${JSON.stringify(labels.__scrape_timeout__ ?? '')}`;
  if (timeoutMs > intervalMs) return `scrape timeout ${labels.__scrape_timeout__} is longer than the interval ${labels.__scrape_interval__}`;
  for (const name of Object.keys(labels)) if (name.startsWith('__meta_')) delete labels[name];
  if ((labels.instance ?? '') === '') labels.instance = address;
  for (const name of Object.keys(labels)) if (!isValidLabelName(name)) return `invalid label name ${JSON.stringify(name)} after relabeling`;

  const params = new URLSearchParams();
  const paramValues = new Map<string, string[]>(Object.entries(job.params).map(([k, v]) => [k, [...v]]));
  for (const [name, value] of Object.entries(labels)) {
    if (!name.startsWith('__param_')) continue;
    const key = name.slice('__param_'.length);
    const values = paramValues.get(key) ?? [];
    if (values.length > 0) values[0] = value;
    else values.push(value);
    paramValues.set(key, values);
  }
  for (const [k, values] of paramValues) for (const v of values) params.append(k, v);
  const query = params.toString();
  const path = labels.__metrics_path__ ?? job.metricsPath;
  let url: string;
  try {
    url = new URL(`${scheme}://${address}${path}${query === '' ? '' : `?${query}`}`).toString();
  } catch {
    return `cannot make a URL of ${JSON.stringify(`${scheme}://${address}${path}`)}`;
  }
  const visible: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) if (!name.startsWith('__')) visible[name] = value;
  const key = `${labelKey(labels)}${url}`;
  return { jobName: job.jobName, labels: visible, url, intervalMs, timeoutMs, key, hash: hashOf(key) };
}

/** True when `address` ends in a port: host:port or [v6]:port. */
function hasPort(address: string): boolean {
  if (address.startsWith('[')) return /^\[[^\]]*\]:\d+$/.test(address);
  const colon = address.lastIndexOf(':');
  if (colon === -1) return false;
  // A bare IPv6 address has several colons and no brackets: Go's SplitHostPort refuses it, and so does adding a port.
  return address.indexOf(':') === colon && /^\d+$/.test(address.slice(colon + 1));
}

function hashOf(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6);
}
