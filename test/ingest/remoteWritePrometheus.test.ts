import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Peer, VigilProcess } from '../support/index.js';
import { NODE_EXPORTER, PROMETHEUS_BIN, peersInstalled, startNodeExporter, startPrometheusWith, startVigil } from '../support/index.js';

/**
 * The real client: Debian's Prometheus 2.42 scrapes a real node_exporter and remote-writes to a
 * real Vigil (the built CLI). Whatever Prometheus stored, Vigil must answer the same through the
 * same API: series count, every value at the same instants (instant and range queries), the
 * metadata, and — once node_exporter is gone — the staleness markers, which make both stop
 * returning the target's series at once.
 */
const SCRAPE_S = 2;
const installed = peersInstalled(NODE_EXPORTER, PROMETHEUS_BIN);

interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

async function api<T>(base: string, path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${base}${path}?${new URLSearchParams(params).toString()}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (res.status !== 200 || body.status !== 'success') throw new Error(`${base}${path}: ${res.status} ${body.error ?? ''}`);
  return body.data;
}

const seriesKey = (m: Record<string, string>): string =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join(',');

/** An instant or range answer as "series → value(s)", comparable across the two servers. */
async function answer(base: string, query: string, at: { time: number } | { start: number; end: number; step: number }): Promise<Map<string, string>> {
  const params: Record<string, string> = { query };
  for (const [k, v] of Object.entries(at)) params[k] = String(v);
  const data = await api<{ result: VectorSample[] }>(base, 'time' in at ? '/api/v1/query' : '/api/v1/query_range', params);
  return new Map(data.result.map((s) => [seriesKey(s.metric), JSON.stringify(s.value ?? s.values)]));
}

/** The highest sample timestamp Prometheus' one remote-write shard has had acknowledged (seconds). */
async function highestSent(prometheus: string): Promise<number> {
  const text = await (await fetch(`${prometheus}/metrics`)).text();
  const m = /^prometheus_remote_storage_queue_highest_sent_timestamp_seconds\{[^}]*\} (\S+)$/m.exec(text);
  return m === null ? 0 : Number(m[1]);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until Vigil answers `query` exactly as Prometheus does (the writer makes samples visible within its batch wait). */
async function sameAnswer(prometheus: string, vigil: string, query: string, at: Parameters<typeof answer>[2]): Promise<{ theirs: Map<string, string>; ours: Map<string, string> }> {
  const theirs = await answer(prometheus, query, at);
  let ours = new Map<string, string>();
  for (let i = 0; i < 40; i++) {
    ours = await answer(vigil, query, at);
    if (ours.size === theirs.size && [...theirs].every(([k, v]) => ours.get(k) === v)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { theirs, ours };
}

// Skipped only on a developer machine without the Debian packages; CI installs them (.ci/install-prometheus.sh) and must run this.
describe.skipIf(!installed && process.env.CI !== 'true')('Prometheus 2.42 remote-writing node_exporter to Vigil', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-rw-e2e-'));
  let vigil: VigilProcess;
  let nodeExporter: Peer;
  let prometheus: Peer;
  /** An instant after a few scrapes, everything up to it sent and acknowledged. */
  let t: number;

  beforeAll(async () => {
    vigil = await startVigil({ dataDir });
    nodeExporter = await startNodeExporter();
    const target = nodeExporter.url.replace('http://', '');
    prometheus = await startPrometheusWith(
      [
        'global: { scrape_interval: ' + SCRAPE_S + 's, scrape_timeout: 1s }',
        'scrape_configs:',
        `  - { job_name: node, static_configs: [{ targets: ['${target}'] }] }`,
        'remote_write:',
        `  - url: ${vigil.url}/api/v1/write`,
        // One shard sends in WAL order, so "highest sent" means "everything before it sent".
        '    queue_config: { min_shards: 1, max_shards: 1, batch_send_deadline: 500ms, max_samples_per_send: 2000 }',
        '    metadata_config: { send: true, send_interval: 1s }',
      ].join('\n'),
    );
    // Three scrapes in Prometheus' own TSDB, then an instant just after the last one.
    await until('three scrapes', async () => {
      const r = await answer(prometheus.url, `count_over_time(up{job="node"}[1m])`, { time: Date.now() / 1000 });
      return Number(JSON.parse([...r.values()][0] ?? '[0,"0"]')[1]) >= 3 ? true : undefined;
    });
    t = Math.floor(Date.now() / 1000);
    await until('remote write to catch up', async () => ((await highestSent(prometheus.url)) >= t ? true : undefined));
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await nodeExporter?.stop();
    await vigil?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every node_exporter series with the value Prometheus has, at the same instant', async () => {
    const { theirs, ours } = await sameAnswer(prometheus.url, vigil.url, '{job="node"}', { time: t });
    console.log(`instant at ${t}: Prometheus ${theirs.size} series, Vigil ${ours.size}`);
    expect(theirs.size).toBeGreaterThan(100);
    expect(ours).toEqual(theirs);
  });

  it('answers the same range query: every sample of the last scrapes', async () => {
    const at = { start: t - 3 * SCRAPE_S, end: t, step: 1 };
    const { theirs, ours } = await sameAnswer(prometheus.url, vigil.url, '{job="node"}', at);
    expect(ours).toEqual(theirs);
  });

  it('counts the same series through /api/v1/series', async () => {
    const params = { 'match[]': '{job="node"}', start: String(t - 3 * SCRAPE_S), end: String(t) };
    const theirs = await api<Record<string, string>[]>(prometheus.url, '/api/v1/series', params);
    const ours = await api<Record<string, string>[]>(vigil.url, '/api/v1/series', params);
    expect(new Set(ours.map(seriesKey))).toEqual(new Set(theirs.map(seriesKey)));
  });

  it('keeps the metadata Prometheus sends', async () => {
    const metrics = ['node_load1', 'node_cpu_seconds_total', 'node_memory_MemFree_bytes'];
    for (const metric of metrics) {
      const theirs = await api<Record<string, unknown[]>>(prometheus.url, '/api/v1/metadata', { metric });
      const ours = await until(`metadata of ${metric}`, async () => {
        const m = await api<Record<string, unknown[]>>(vigil.url, '/api/v1/metadata', { metric });
        return Object.keys(m).length > 0 ? m : undefined;
      });
      expect(ours).toEqual(theirs);
    }
  });

  it('carries the staleness markers: once node_exporter is gone, both stop answering its series at once', async () => {
    await nodeExporter.stop();
    const down = await until('Prometheus to see the target down', async () => {
      const now = Date.now() / 1000;
      const r = await answer(prometheus.url, 'up{job="node"} == 0', { time: now });
      return r.size === 1 ? now : undefined;
    });
    const t2 = Math.ceil(down);
    await until('remote write to catch up', async () => ((await highestSent(prometheus.url)) >= t2 - SCRAPE_S ? true : undefined));
    const { theirs, ours } = await sameAnswer(prometheus.url, vigil.url, '{job="node"}', { time: t2 });
    // Only the series Prometheus writes about the scrape itself remain; node_load1 went stale, not just old.
    expect([...theirs.keys()].every((k) => /__name__="(up|scrape_[a-z_]+)"/.test(k))).toBe(true);
    expect(ours).toEqual(theirs);
  });
});
