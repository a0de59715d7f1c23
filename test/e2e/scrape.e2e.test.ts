import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../bin/index.js';
import { startPlatform, TokenStore, tokensFileOf } from '../../bin/index.js';
import { formatSeries, loadConfig } from '../../core/index.js';
import { freePort } from '../support/index.js';

/**
 * Vigil's scraper against the real node_exporter (Debian's prometheus-node-exporter on loopback)
 * and a target whose exposition the test changes, through the whole platform in-process: scrape
 * config file, file_sd, push pipeline, embedded bus, writer, DuckDB, and the Prometheus query API.
 */
const binary = '/usr/bin/prometheus-node-exporter';
const installed = existsSync(binary);
const REPORT = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']);

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * The series of exposition text read with a regular expression (independent of Vigil's parser),
 * labels with an empty value left out: in Prometheus an empty label is no label.
 */
function exposedSeries(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`unreadable line ${line}`);
    const labels: Record<string, string> = { __name__: m[1] as string };
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      if (l[2] !== '') labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    }
    out.set(formatSeries(labels, Infinity), Number(m[3]));
  }
  return out;
}

// Skipped only on a developer machine without the Debian package; CI installs it (.ci/install-prometheus.sh).
describe.skipIf(!installed && process.env.CI !== 'true')('the scraper with node_exporter, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-e2e-'));
  const sdFile = join(dir, 'targets', 'fixture.json');
  let exporter: ChildProcess;
  let exporterUrl = '';
  let fixture: Server;
  let fixtureBody = 'fixture_a 1\nfixture_b 2\n';
  let platform: Platform;

  const query = async (q: string): Promise<VectorSample[]> => {
    const res = await platform.app.inject({ method: 'GET', url: `/api/v1/query?query=${encodeURIComponent(q)}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { data: { result: VectorSample[] } }).data.result;
  };
  /** Polls `q` until `done` holds for its result (the writer makes data visible within its batch wait). */
  const until = async (q: string, done: (r: VectorSample[]) => boolean, what: string): Promise<VectorSample[]> => {
    let last: VectorSample[] = [];
    for (let i = 0; i < 300; i++) {
      last = await query(q);
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what}: ${q} still answers ${JSON.stringify(last).slice(0, 500)}`);
  };

  beforeAll(async () => {
    const port = await freePort();
    exporter = spawn(binary, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    exporterUrl = `http://127.0.0.1:${port}/metrics`;
    for (let i = 0; i < 100; i++) {
      if (exporter.exitCode !== null) throw new Error(`node_exporter exited with ${exporter.exitCode}`);
      if (await fetch(exporterUrl).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    fixture = createServer((_req, res) => res.end(fixtureBody));
    await new Promise<void>((ok) => fixture.listen(0, '127.0.0.1', ok));
    const fixtureAddress = `127.0.0.1:${(fixture.address() as AddressInfo).port}`;
    mkdirSync(join(dir, 'targets'));
    writeFileSync(sdFile, JSON.stringify([{ targets: [fixtureAddress], labels: { team: 'qa' } }]));
    const scrapeConfig = join(dir, 'scrape.yml');
    writeFileSync(
      scrapeConfig,
      [
        'global: { scrape_interval: 2s, scrape_timeout: 2s }',
        'scrape_configs:',
        '  - job_name: node',
        `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
        '  - job_name: fixture',
        '    scrape_interval: 1s',
        '    scrape_timeout: 1s',
        '    file_sd_configs: [{ files: [targets/*.json], refresh_interval: 1s }]',
        '',
      ].join('\n'),
    );
    const config = loadConfig({
      flags: {
        dataDir: join(dir, 'data'),
        http: { host: '127.0.0.1', port: 0 },
        log: { level: 'silent' },
        collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
        director: { enabled: false },
        writer: { maxBatchWaitMs: 20 },
        scrape: { configFile: scrapeConfig },
      },
    });
    platform = await startPlatform(config);
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    if (exporter?.exitCode === null) exporter.kill('SIGTERM');
    fixture?.closeAllConnections();
    fixture?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after a couple of scrapes, up{job="node"} == 1 and every series node_exporter exposes is stored', async () => {
    await until('count_over_time(up{job="node"}[1m]) >= 2', (r) => r.length === 1, 'two scrapes of node_exporter');
    const up = await query('up{job="node"} == 1');
    expect(up.map((s) => s.metric)).toEqual([{ __name__: 'up', job: 'node', instance: exporterUrl.slice('http://'.length, -'/metrics'.length) }]);

    const exposed = exposedSeries(await fetch(exporterUrl).then((r) => r.text()));
    const stored = new Map<string, number>();
    for (const s of await query('{job="node"}')) {
      const { job: _job, instance: _instance, ...labels } = s.metric;
      if (!REPORT.has(labels.__name__ as string)) stored.set(formatSeries(labels, Infinity), Number(s.value[1]));
    }
    const missing = [...exposed.keys()].filter((k) => !stored.has(k));
    const extra = [...stored.keys()].filter((k) => !exposed.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    // Values that do not move between two scrapes are equal.
    for (const name of ['node_memory_MemTotal_bytes', 'node_uname_info', 'node_exporter_build_info']) {
      const key = [...exposed.keys()].find((k) => k.startsWith(`${name}{`) || k === name) as string;
      expect(stored.get(key), key).toBe(exposed.get(key));
    }
    const samples = await query('scrape_samples_scraped{job="node"}');
    expect(Number(samples[0]?.value[1])).toBe(exposed.size);
  }, 90_000);

  it('Vigil scrapes itself: up{job="vigil"} answers without any configuration', async () => {
    const up = await until('up{job="vigil"}', (r) => r.length === 1, 'the self-scrape');
    expect(up[0]?.value[1]).toBe('1');
    // The self-scrape's own `job` labels clash with the target's and become exported_job, as in Prometheus.
    // The gauge is set once the target's loop runs, which may be after the first self-scrape: wait for a scrape that has it.
    const targets = await until('vigil_scrape_targets{job="vigil", exported_job="vigil"}', (r) => r.length === 1, "the scraper's own target gauge");
    expect(targets.map((s) => s.value[1])).toEqual(['1']);
  }, 60_000);

  it('a series that vanishes from its target goes stale at the next scrape and queries stop returning it', async () => {
    await until('fixture_b{job="fixture", team="qa"}', (r) => r.length === 1, 'fixture_b scraped');
    fixtureBody = 'fixture_a 1\n';
    // Without a stale marker fixture_b would be answered for the whole 5 m lookback.
    await until('fixture_b', (r) => r.length === 0, 'fixture_b stale');
    expect((await query('fixture_a')).length).toBe(1);
  }, 60_000);

  it('a target removed from file_sd goes stale: its series and its up', async () => {
    await until('up{job="fixture"}', (r) => r.length === 1, 'fixture up');
    writeFileSync(sdFile, '[]');
    await until('up{job="fixture"}', (r) => r.length === 0, 'fixture target removed');
    expect(await query('fixture_a')).toEqual([]);
  }, 60_000);

  it('when node_exporter stops, up{job="node"} becomes 0 and its series go stale', async () => {
    exporter.kill('SIGTERM');
    await until('up{job="node"} == 0', (r) => r.length === 1, 'node_exporter down');
    expect(await query('node_load1{job="node"}')).toEqual([]);
    expect((await query('scrape_samples_scraped{job="node"}'))[0]?.value[1]).toBe('0');
  }, 60_000);
});

describe('the self-scrape with authentication on', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-scrape-auth-e2e-'));
  let platform: Platform;
  let token = '';

  beforeAll(async () => {
    const config = loadConfig({
      flags: {
        dataDir,
        http: { host: '127.0.0.1', port: 0 },
        auth: { enabled: true },
        log: { level: 'silent' },
        collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
        director: { enabled: false },
        writer: { maxBatchWaitMs: 20 },
      },
    });
    token = (await new TokenStore(tokensFileOf(config)).create({ name: 'reader', scopes: ['read'], tenant: '*' })).token;
    platform = await startPlatform(config);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the registry in-process, so up{job="vigil"} == 1 with no token for the scraper; GET /metrics still needs one', async () => {
    let result: VectorSample[] = [];
    for (let i = 0; i < 150 && result.length === 0; i++) {
      const res = await platform.app.inject({ method: 'GET', url: '/api/v1/query?query=up%7Bjob%3D%22vigil%22%7D%20%3D%3D%201', headers: { authorization: `Bearer ${token}` } });
      result = (res.json() as { data: { result: VectorSample[] } }).data.result;
      if (result.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(result.map((s) => s.metric.job)).toEqual(['vigil']);
    expect((await platform.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' })).statusCode).toBe(401);
  }, 60_000);
});
