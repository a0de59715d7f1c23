import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, formatZodIssues, parseDurationMs } from '../../core/index.js';
import { parseByteSize } from './byteSize.js';
import type { RelabelRule } from './relabel.js';
import { compileRelabelRules } from './relabel.js';
import type { ScrapeFile, ScrapeJobYaml } from './scrapeConfigSchema.js';
import { scrapeFileSchema } from './scrapeConfigSchema.js';

/** Targets that share labels: one static_configs entry, or one group of a file_sd file. */
export interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Where the group came from (for __meta_filepath and logs). */
  readonly source: string;
}

export type ScrapeAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password?: string; readonly passwordFile?: string }
  | { readonly kind: 'authorization'; readonly type: string; readonly credentials?: string; readonly credentialsFile?: string };

export interface FileSdConfig {
  readonly files: readonly string[];
  readonly refreshIntervalMs: number;
}

/** One scrape_configs entry with defaults applied, durations in ms, paths absolute, regexes compiled. */
export interface ScrapeJob {
  readonly jobName: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly metricsPath: string;
  readonly scheme: 'http' | 'https';
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly followRedirects: boolean;
  readonly auth: ScrapeAuth | undefined;
  readonly staticGroups: readonly TargetGroup[];
  readonly fileSd: readonly FileSdConfig[];
  readonly relabel: readonly RelabelRule[];
  readonly metricRelabel: readonly RelabelRule[];
  /** 0: no limit. */
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  /** Largest body read from a target, after decompression; 0: the scraper's default. */
  readonly bodySizeLimit: number;
}

/** Reads and checks a Prometheus scrape configuration file; a ConfigError names the file and every bad key. */
export function loadScrapeJobs(path: string): ScrapeJob[] {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`scrape config ${path}: ${(err as Error).message}`);
  }
  return scrapeJobsOf(doc ?? {}, dirname(resolve(path)), `scrape config ${path}`);
}

/** The jobs of an already parsed document; relative file paths are taken from `baseDir`, as Prometheus does. */
export function scrapeJobsOf(doc: unknown, baseDir: string, what = 'scrape config'): ScrapeJob[] {
  const parsed = scrapeFileSchema.safeParse(doc);
  if (!parsed.success) throw new ConfigError(`${what}: ${formatZodIssues(parsed.error.issues)}`);
  return parsed.data.scrape_configs.map((job, i) => {
    try {
      return resolveJob(job, parsed.data.global, baseDir);
    } catch (err) {
      throw new ConfigError(`${what}: scrape_configs.${i} (job ${JSON.stringify(job.job_name)}): ${(err as Error).message}`);
    }
  });
}

function resolveJob(job: ScrapeJobYaml, global: ScrapeFile['global'], baseDir: string): ScrapeJob {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const globalTimeout = parseDurationMs(global.scrape_timeout) as number;
  const intervalMs = parseDurationMs(job.scrape_interval ?? global.scrape_interval) as number;
  // Like Prometheus: an unset timeout is the global one, but never longer than the job's interval.
  const timeoutMs = job.scrape_timeout !== undefined ? (parseDurationMs(job.scrape_timeout) as number) : Math.min(globalTimeout, intervalMs);
  if (intervalMs <= 0) throw new Error('scrape_interval must be greater than 0');
  if (timeoutMs <= 0) throw new Error('scrape_timeout must be greater than 0');
  if (timeoutMs > intervalMs) throw new Error(`scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(job.job_name)}`);
  let auth: ScrapeAuth | undefined;
  if (job.basic_auth !== undefined) {
    const b = job.basic_auth;
    auth = { kind: 'basic', username: b.username, ...(b.password === undefined ? {} : { password: b.password }), ...(b.password_file === undefined ? {} : { passwordFile: abs(b.password_file) }) };
  } else if (job.authorization !== undefined) {
    const a = job.authorization;
    auth = { kind: 'authorization', type: a.type, ...(a.credentials === undefined ? {} : { credentials: a.credentials }), ...(a.credentials_file === undefined ? {} : { credentialsFile: abs(a.credentials_file) }) };
  } else if (job.bearer_token !== undefined || job.bearer_token_file !== undefined) {
    auth = { kind: 'authorization', type: 'Bearer', ...(job.bearer_token === undefined ? {} : { credentials: job.bearer_token }), ...(job.bearer_token_file === undefined ? {} : { credentialsFile: abs(job.bearer_token_file) }) };
  }
  const compile = (rules: ScrapeJobYaml['relabel_configs'], key: string): RelabelRule[] => {
    try {
      return compileRelabelRules(rules);
    } catch (err) {
      throw new Error(`${key}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    jobName: job.job_name,
    intervalMs,
    timeoutMs,
    metricsPath: job.metrics_path,
    scheme: job.scheme,
    params: job.params,
    honorLabels: job.honor_labels,
    honorTimestamps: job.honor_timestamps,
    followRedirects: job.follow_redirects,
    auth,
    staticGroups: job.static_configs.map((g, i) => ({ targets: g.targets, labels: g.labels, source: `static_configs.${i}` })),
    fileSd: job.file_sd_configs.map((f) => ({ files: f.files.map(abs), refreshIntervalMs: parseDurationMs(f.refresh_interval) as number })),
    relabel: compile(job.relabel_configs, 'relabel_configs'),
    metricRelabel: compile(job.metric_relabel_configs, 'metric_relabel_configs'),
    sampleLimit: job.sample_limit,
    labelLimit: job.label_limit,
    labelNameLengthLimit: job.label_name_length_limit,
    labelValueLengthLimit: job.label_value_length_limit,
    bodySizeLimit: job.body_size_limit === undefined ? 0 : (parseByteSize(job.body_size_limit) as number),
  };
}
