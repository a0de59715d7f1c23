import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ScrapeJob } from '../../../collectors/index.js';
import { loadScrapeJobs, scrapeJobsOf, targetsOf } from '../../../collectors/index.js';

const job = (yaml: Record<string, unknown>, global: Record<string, unknown> = {}): ScrapeJob => scrapeJobsOf({ global, scrape_configs: [{ job_name: 'j', ...yaml }] }, '/etc/vigil')[0] as ScrapeJob;

describe('scrape configuration: Prometheus defaults', () => {
  it.each([
    { name: 'everything defaulted', yaml: {}, global: {}, expected: { intervalMs: 60_000, timeoutMs: 10_000, metricsPath: '/metrics', scheme: 'http', honorLabels: false, honorTimestamps: true, sampleLimit: 0 } },
    { name: 'the global interval', yaml: {}, global: { scrape_interval: '15s' }, expected: { intervalMs: 15_000, timeoutMs: 10_000 } },
    { name: 'an unset timeout is never longer than the interval', yaml: { scrape_interval: '5s' }, global: {}, expected: { intervalMs: 5000, timeoutMs: 5000 } },
    { name: 'compound durations', yaml: { scrape_interval: '1m30s', scrape_timeout: '1500ms' }, global: {}, expected: { intervalMs: 90_000, timeoutMs: 1500 } },
    { name: 'job settings', yaml: { metrics_path: '/probe', scheme: 'https', honor_labels: true, honor_timestamps: false, sample_limit: 100, label_limit: 30, body_size_limit: '10MB' }, global: {}, expected: { metricsPath: '/probe', scheme: 'https', honorLabels: true, honorTimestamps: false, sampleLimit: 100, labelLimit: 30, bodySizeLimit: 10 * 1024 * 1024 } },
  ])('$name', ({ yaml, global, expected }) => {
    expect(job(yaml, global)).toMatchObject(expected);
  });

  it('credentials: bearer_token_file and basic_auth password_file are taken relative to the file', () => {
    expect(job({ bearer_token_file: 'token' }).auth).toEqual({ kind: 'authorization', type: 'Bearer', credentialsFile: '/etc/vigil/token' });
    expect(job({ basic_auth: { username: 'u', password_file: '/abs/pw' } }).auth).toEqual({ kind: 'basic', username: 'u', passwordFile: '/abs/pw' });
    expect(job({ authorization: { credentials: 's3cret' } }).auth).toEqual({ kind: 'authorization', type: 'Bearer', credentials: 's3cret' });
    expect(job({ file_sd_configs: [{ files: ['targets/*.json'] }] }).fileSd).toEqual([{ files: ['/etc/vigil/targets/*.json'], refreshIntervalMs: 300_000 }]);
  });
});

describe('scrape configuration errors name the key and what was wrong', () => {
  it.each([
    { name: 'timeout longer than the interval', doc: { scrape_configs: [{ job_name: 'j', scrape_interval: '5s', scrape_timeout: '10s' }] }, message: 'scrape timeout greater than scrape interval for scrape config with job name "j"' },
    { name: 'a duration without a unit', doc: { global: { scrape_interval: '15' } }, message: 'global.scrape_interval: a Prometheus duration such as 15s' },
    { name: 'two jobs of one name', doc: { scrape_configs: [{ job_name: 'j' }, { job_name: 'j' }] }, message: 'scrape_configs.1.job_name: found multiple scrape configs with job name "j"' },
    { name: 'an unsupported service discovery', doc: { scrape_configs: [{ job_name: 'j', kubernetes_sd_configs: [{ role: 'pod' }] }] }, message: 'kubernetes_sd_configs' },
    { name: 'two kinds of credentials', doc: { scrape_configs: [{ job_name: 'j', basic_auth: { username: 'u' }, bearer_token: 't' }] }, message: 'at most one of basic_auth, authorization and bearer_token' },
    { name: 'a file_sd path that is not .json/.yml', doc: { scrape_configs: [{ job_name: 'j', file_sd_configs: [{ files: ['targets.txt'] }] }] }, message: 'scrape_configs.0.file_sd_configs.0.files.0: a .json, .yml or .yaml path' },
    { name: 'a bad label name in static labels', doc: { scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['a:1'], labels: { 'bad-name': 'x' } }] }] }, message: 'a label name matching' },
    { name: 'a scheme other than http(s)', doc: { scrape_configs: [{ job_name: 'j', scheme: 'ftp' }] }, message: 'scrape_configs.0.scheme' },
  ])('$name', ({ doc, message }) => {
    expect(() => scrapeJobsOf(doc, '/tmp', 'scrape config x.yml')).toThrow(message);
  });

  const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file that is not YAML names the file', () => {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'scrape_configs: [\n');
    expect(() => loadScrapeJobs(file)).toThrow(`scrape config ${file}:`);
  });

  it("README's scrape example loads as documented", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Scraping Prometheus targets'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const jobs = scrapeJobsOf(parseYaml(yaml), '/etc/vigil');
    expect(jobs.map((j) => [j.jobName, j.intervalMs, j.relabel.length, j.metricRelabel.length, j.sampleLimit])).toEqual([
      ['node', 15_000, 0, 0, 0],
      ['apps', 15_000, 1, 1, 50_000],
    ]);
  });

  it('a whole prometheus.yml is accepted: the parts that are not scraping are ignored', () => {
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, 'global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nrule_files: [rules.yml]\nalerting:\n  alertmanagers: []\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: [localhost:9100]\n');
    expect(loadScrapeJobs(file).map((j) => [j.jobName, j.intervalMs])).toEqual([['node', 15_000]]);
  });
});

describe('targets after discovery and relabeling (Prometheus PopulateLabels)', () => {
  const groups = (targets: string[], labels: Record<string, string> = {}) => [{ targets, labels, source: 'test' }];

  interface TargetCase {
    readonly name: string;
    readonly yaml: Record<string, unknown>;
    readonly targets: string[];
    readonly labels: Record<string, string>;
    readonly expected: { labels: Record<string, string>; url: string }[];
  }

  it.each<TargetCase>([
    {
      name: 'job and instance from the config and the address',
      yaml: {},
      targets: ['10.0.0.1:9100'],
      labels: { env: 'prod' },
      expected: [{ labels: { env: 'prod', instance: '10.0.0.1:9100', job: 'j' }, url: 'http://10.0.0.1:9100/metrics' }],
    },
    {
      name: 'a default port for the scheme',
      yaml: { scheme: 'https' },
      targets: ['example.org'],
      labels: {},
      expected: [{ labels: { instance: 'example.org:443', job: 'j' }, url: 'https://example.org/metrics' }],
    },
    {
      name: 'params and __param_ labels make the query; __metrics_path__ the path',
      yaml: {
        metrics_path: '/probe',
        params: { module: ['http_2xx'] },
        relabel_configs: [
          { source_labels: ['__address__'], target_label: '__param_target' },
          { source_labels: ['__param_target'], target_label: 'instance' },
          { target_label: '__address__', replacement: '127.0.0.1:9115' },
        ],
      },
      targets: ['https://example.org'],
      labels: {},
      expected: [{ labels: { instance: 'https://example.org', job: 'j' }, url: 'http://127.0.0.1:9115/probe?module=http_2xx&target=https%3A%2F%2Fexample.org' }],
    },
    {
      name: '__meta_ labels are gone after relabeling, other __ labels are hidden',
      yaml: { relabel_configs: [{ source_labels: ['__meta_filepath'], target_label: 'file' }] },
      targets: ['a:1'],
      labels: { __meta_filepath: '/sd/a.json', __tmp: 'x' },
      expected: [{ labels: { file: '/sd/a.json', instance: 'a:1', job: 'j' }, url: 'http://a:1/metrics' }],
    },
    {
      name: 'a target dropped by relabeling, and duplicates collapse',
      yaml: { relabel_configs: [{ source_labels: ['__address__'], regex: 'b:.*', action: 'drop' }] },
      targets: ['a:1', 'b:2', 'a:1'],
      labels: {},
      expected: [{ labels: { instance: 'a:1', job: 'j' }, url: 'http://a:1/metrics' }],
    },
  ])('$name', ({ yaml, targets, labels, expected }) => {
    const result = targetsOf(job(yaml), groups(targets, labels));
    expect(result.problems).toEqual([]);
    expect(result.targets.map((t) => ({ labels: t.labels, url: t.url }))).toEqual(expected);
  });

  it('interval and timeout can be relabeled per target', () => {
    const j = job({ scrape_interval: '30s', relabel_configs: [{ target_label: '__scrape_interval__', replacement: '1m' }, { target_label: '__scrape_timeout__', replacement: '20s' }] });
    const [t] = targetsOf(j, groups(['a:1'])).targets;
    expect([t?.intervalMs, t?.timeoutMs]).toEqual([60_000, 20_000]);
  });

  it.each([
    { name: 'an address with a path', targets: ['a:1/x'], yaml: {}, problem: '"a:1/x" is not a valid hostname' },
    { name: 'a relabeled timeout longer than the interval', targets: ['a:1'], yaml: { relabel_configs: [{ target_label: '__scrape_timeout__', replacement: '2m' }] }, problem: 'scrape timeout 2m is longer than the interval 1m' },
  ])('refused: $name', ({ targets, yaml, problem }) => {
    const result = targetsOf(job(yaml), groups(targets));
    expect(result.targets).toEqual([]);
    expect(result.problems.join('\n')).toContain(problem);
  });
});
