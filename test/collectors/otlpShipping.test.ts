import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentLogEntry, OtlpShipper } from '../../collectors/index.js';
import { backoffDelay, collectHost, createOtlpShipper, DiskBuffer, logsToOtlpJson, metricsToOtlpJson } from '../../collectors/index.js';
import type { TimeSeries } from '../../core/index.js';
import { createLogger, formatSeries, isStaleNaN, STALE_NAN } from '../../core/index.js';
import { Rejections } from '../../ingest/index.js';
import { otlpLogsToWriteRequest, otlpMetricsToWriteRequest } from '../../ingest/otlp/index.js';

/** What the agent sends must come out of Vigil's own OTLP mapping exactly as collected. */
describe('OTLP JSON encoding, read back by the OTLP receiver\'s mapping', () => {
  it('keeps every host metric\'s name, labels, value and type', async () => {
    const c = await collectHost({ procRoot: '/proc', sysRoot: '/sys', hostname: 'node-1', job: 'node', nowMs: 1_796_000_000_123 });
    const stale: TimeSeries = { labels: { __name__: 'node_network_up', device: 'gone0', job: 'node', instance: 'node-1' }, samples: [{ t: 1_796_000_000_123, v: STALE_NAN }] };
    const sent = [...c.series, stale];
    const json = JSON.parse(JSON.stringify(metricsToOtlpJson(sent, c.metadata))) as unknown;
    const back = otlpMetricsToWriteRequest(json, 'default', new Rejections());
    const text = (series: readonly TimeSeries[]): string[] => series.map((s) => `${formatSeries(s.labels)} ${s.samples.map((x) => `${x.t}:${isStaleNaN(x.v) ? 'stale' : x.v}`).join(',')}`).sort();
    expect(text(back.series)).toEqual(text(sent));
    const types = new Map(back.metadata.map((m) => [m.metricFamilyName, m.type]));
    expect(types.get('node_cpu_seconds_total')).toBe('counter');
    expect(types.get('node_memory_MemTotal_bytes')).toBe('gauge');
  });

  it('keeps log bodies, times and the Kubernetes stream labels', () => {
    const entry: AgentLogEntry = {
      timeNs: 1796551200123456789n,
      observedTimeNs: 1796551201000000000n,
      body: 'GET / 200',
      resource: { 'service.name': 'shop/nginx', 'service.instance.id': 'node-1', 'k8s.namespace.name': 'shop', 'k8s.pod.name': 'web-1', 'k8s.container.name': 'nginx', 'k8s.pod.uid': 'u' },
      attributes: { 'log.iostream': 'stdout', 'log.file.path': '/var/log/pods/x/nginx/0.log' },
    };
    const back = otlpLogsToWriteRequest(JSON.parse(JSON.stringify(logsToOtlpJson([entry]))) as unknown, 'default', 0n);
    expect(back.logs).toHaveLength(1);
    expect(back.logs[0]).toMatchObject({
      timeNs: 1796551200123456789n,
      body: 'GET / 200',
      stream: { job: 'shop/nginx', instance: 'node-1', k8s_namespace_name: 'shop', k8s_pod_name: 'web-1', k8s_container_name: 'nginx' },
      attributes: { 'log.iostream': 'stdout', 'log.file.path': '/var/log/pods/x/nginx/0.log' },
    });
  });
});

describe('backoffDelay', () => {
  it.each([
    [0, 0, 250],
    [0, 1, 500],
    [3, 0, 2000],
    [3, 1, 4000],
    [20, 1, 30_000],
    [20, 0, 15_000],
  ])('attempt %d with random %d waits %d ms', (attempt, random, want) => {
    expect(backoffDelay({ initialMs: 500, maxMs: 30_000 }, attempt, () => random)).toBe(want);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

/** A receiver whose answers the test scripts, recording what reached it. */
interface Peer {
  readonly url: string;
  readonly bodies: { path: string; auth: string | undefined; json: unknown }[];
  answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string };
  close(): Promise<void>;
}

async function startPeer(): Promise<Peer> {
  const peer = {
    bodies: [] as Peer['bodies'],
    answer: (_req: IncomingMessage) => ({ status: 200, body: '{}' }) as { status: number; headers?: Record<string, string>; body?: string },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = peer.answer(req);
      if (a.status < 300) peer.bodies.push({ path: req.url ?? '', auth: req.headers.authorization, json: JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8')) as unknown });
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body ?? '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(peer, { url, close: () => new Promise<void>((r) => server.close(() => r())) });
}

describe('OTLP shipper with its disk buffer', () => {
  let dir: string;
  let peer: Peer;
  let shipper: OtlpShipper | undefined;
  let registry: Registry;

  beforeEach(async () => {
    dir = mkdtempSync(join(os.tmpdir(), 'vigil-ship-'));
    peer = await startPeer();
    registry = new Registry();
  });
  afterEach(async () => {
    await shipper?.shutdown();
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const make = async (maxBytes = 1 << 20): Promise<OtlpShipper> => {
    const buffer = await DiskBuffer.open(join(dir, 'buffer'), maxBytes);
    shipper = createOtlpShipper({ serverUrl: peer.url, token: 'secret', buffer, registry, logger: createLogger('silent'), backoff: { initialMs: 10, maxMs: 50 } });
    return shipper;
  };
  const counter = async (name: string, labels: Record<string, string>): Promise<number> =>
    (await registry.getSingleMetric(name)?.get())?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
  const batch = (n: number): Record<string, unknown> => ({ resourceMetrics: [{ marker: n }] });

  it('sends in order with the token, gzip\'ed, and empties the buffer', async () => {
    const s = await make();
    for (let i = 0; i < 3; i++) expect(await s.export('metrics', batch(i), 10)).toBe(true);
    s.start();
    expect(await s.forceFlush(10_000)).toBe(true);
    expect(peer.bodies.map((b) => [b.path, b.auth, b.json])).toEqual([0, 1, 2].map((i) => ['/v1/metrics', 'Bearer secret', batch(i)]));
    expect(readdirSync(join(dir, 'buffer'))).toEqual([]);
    expect(await counter('vigil_agent_items_total', { signal: 'metrics', result: 'sent' })).toBe(30);
  });

  it('retries 503, 429 (after Retry-After) and 401 until the server takes the batch; drops and counts a 400', async () => {
    const script = [503, 429, 401, 400, 200];
    peer.answer = () => {
      const status = script.shift() ?? 200;
      const headers: Record<string, string> = status === 429 ? { 'retry-after': '0' } : {};
      return { status, headers, body: status === 400 ? '{"code":3,"message":"bad label"}' : '{}' };
    };
    const s = await make();
    await s.export('logs', { resourceLogs: [{ n: 'first' }] }, 2);
    await s.export('logs', { resourceLogs: [{ n: 'second' }] }, 3);
    s.start();
    expect(await s.forceFlush(10_000)).toBe(true);
    // 503, 429 and 401 retried the first batch; the 400 dropped it; the second went through.
    expect(peer.bodies.map((b) => b.json)).toEqual([{ resourceLogs: [{ n: 'second' }] }]);
    expect(await counter('vigil_agent_items_total', { signal: 'logs', result: 'rejected' })).toBe(2);
    expect(await counter('vigil_agent_send_failures_total', { reason: 'http_503' })).toBe(1);
    expect(await counter('vigil_agent_send_failures_total', { reason: 'http_429' })).toBe(1);
    expect(await counter('vigil_agent_send_failures_total', { reason: 'http_401' })).toBe(1);
  });

  it('keeps batches on disk across a restart while the server is away, up to its bound, counting what it drops', async () => {
    await peer.close();
    const first = await make(3000);
    first.start();
    const taken: boolean[] = [];
    // Random bodies do not compress: about 1 KB each, two or three fit in 3000 bytes, the rest do not.
    for (let i = 0; i < 6; i++) taken.push(await first.export('metrics', { r: randomBytes(1000).toString('base64') }, 1));
    expect(taken.slice(0, 2)).toEqual([true, true]);
    expect(taken.slice(3)).toEqual([false, false, false]);
    await waitFor(async () => (await counter('vigil_agent_send_failures_total', { reason: 'connection' })) > 0);
    expect(await counter('vigil_agent_send_failures_total', { reason: 'connection' })).toBeGreaterThan(0);
    expect(await counter('vigil_agent_batches_total', { signal: 'metrics', result: 'dropped' })).toBe(taken.filter((t) => !t).length);
    await first.shutdown();
    // The server comes back (on a new port); a new agent run delivers what the first one buffered.
    peer = await startPeer();
    registry = new Registry();
    const second = await make(3000);
    second.start();
    expect(await second.forceFlush(10_000)).toBe(true);
    expect(peer.bodies.length).toBe(taken.filter((t) => t).length);
  });
});
