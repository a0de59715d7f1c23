import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NotifierAlert, WebhookPayload } from '../../alerting/index.js';
import { alertFingerprint, createNotifyMetrics, Dispatcher, isForbiddenAddress, parseNotifyConfig } from '../../alerting/index.js';
import { createLogger } from '../../core/index.js';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly payload: WebhookPayload;
}

const SECRET = 'a-shared-secret-of-some-length';

/** A webhook sink on loopback: records every POST and answers with the next queued status (200 by default). */
function sink(): Promise<{ server: Server; url: string; received: Received[]; statuses: number[] }> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      if (status === 200) received.push({ path: req.url ?? '', headers: req.headers, body, payload: JSON.parse(body) as WebhookPayload });
      res.writeHead(status).end();
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`, received, statuses });
    }),
  );
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function alert(labels: Record<string, string>, opts: { resolvedAgoMs?: number; summary?: string } = {}): NotifierAlert {
  const now = Date.now();
  return {
    labels,
    annotations: { summary: opts.summary ?? `${labels.alertname} on ${labels.instance ?? '?'}` },
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(opts.resolvedAgoMs === undefined ? now + 120_000 : now - opts.resolvedAgoMs).toISOString(),
    generatorURL: 'http://vigil.example/graph',
  };
}

describe('the notification dispatcher (Alertmanager semantics, webhook v4)', () => {
  let hook: Awaited<ReturnType<typeof sink>>;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-'));
  const dispatchers: Dispatcher[] = [];
  const make = (logFile = join(dir, `nflog-${dispatchers.length}.json`), extra = ''): Dispatcher => {
    const yaml = `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 50ms
  group_interval: 200ms
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook.url}/hook
        headers: { X-Team: storage }
        hmac_secret: ${SECRET}
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [instance]
${extra}`;
    const d = new Dispatcher({ config: parseNotifyConfig('n.yml', yaml), metrics: createNotifyMetrics(new Registry()), logger: createLogger('silent'), logFile, externalURL: 'http://vigil.example', allowLinkLocal: false, backoffMs: 20 });
    dispatchers.push(d);
    return d;
  };

  beforeAll(async () => {
    hook = await sink();
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    hook.received.length = 0;
  });
  afterAll(() => {
    hook.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups alerts by group_by and delivers the Alertmanager v4 payload, signed, with the configured headers', async () => {
    const d = make();
    d.receive([alert({ alertname: 'DiskFull', instance: 'a' }), alert({ alertname: 'DiskFull', instance: 'b' })]);
    const got = await until('the group', () => hook.received[0]);
    expect(got.path).toBe('/hook');
    expect(got.headers['x-team']).toBe('storage');
    expect(got.headers['x-vigil-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`);
    expect(got.payload).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'hook',
      truncatedAlerts: 0,
      groupLabels: { alertname: 'DiskFull' },
      commonLabels: { alertname: 'DiskFull' },
      externalURL: 'http://vigil.example',
    });
    expect(got.payload.alerts.map((a) => [a.status, a.labels.instance, a.fingerprint, a.endsAt])).toEqual([
      ['firing', 'a', alertFingerprint({ alertname: 'DiskFull', instance: 'a' }), '0001-01-01T00:00:00Z'],
      ['firing', 'b', alertFingerprint({ alertname: 'DiskFull', instance: 'b' }), '0001-01-01T00:00:00Z'],
    ]);
  });

  it('sends the resolution, and nothing again while nothing changes', async () => {
    const d = make();
    d.receive([alert({ alertname: 'Down', instance: 'a' })]);
    await until('firing', () => hook.received.find((r) => r.payload.status === 'firing'));
    d.receive([alert({ alertname: 'Down', instance: 'a' }, { resolvedAgoMs: 1 })]);
    const resolved = await until('resolved', () => hook.received.find((r) => r.payload.status === 'resolved'));
    expect(resolved.payload.alerts.map((a) => a.status)).toEqual(['resolved']);
    expect(hook.received).toHaveLength(2);
  });

  it('drops alerts an inhibit rule mutes while its source fires', async () => {
    const d = make();
    d.receive([alert({ alertname: 'Slow', instance: 'a', severity: 'warning' }), alert({ alertname: 'Slow', instance: 'b', severity: 'warning' }), alert({ alertname: 'Dead', instance: 'a', severity: 'critical' })]);
    await until('both groups', () => (hook.received.length >= 2 ? true : undefined));
    const slow = hook.received.find((r) => r.payload.groupLabels.alertname === 'Slow');
    expect(slow?.payload.alerts.map((a) => a.labels.instance)).toEqual(['b']);
  });

  it('retries a failing receiver with backoff', async () => {
    const d = make();
    hook.statuses.push(503, 502);
    d.receive([alert({ alertname: 'Retry', instance: 'a' })]);
    const got = await until('delivery after two failures', () => hook.received[0]);
    expect(got.payload.groupLabels).toEqual({ alertname: 'Retry' });
    expect(hook.statuses).toEqual([]);
  });

  it('does not page again after a restart: the notification log is on disk', async () => {
    const logFile = join(dir, 'durable.json');
    const first = make(logFile);
    first.receive([alert({ alertname: 'Durable', instance: 'a' })]);
    await until('first delivery', () => hook.received[0]);
    await first.stop();
    expect(JSON.parse(readFileSync(logFile, 'utf8'))).not.toEqual({});
    const second = make(logFile);
    // The same firing alert again, and a new one in another group as a marker: only the marker arrives.
    second.receive([alert({ alertname: 'Durable', instance: 'a' }), alert({ alertname: 'Marker', instance: 'a' })]);
    await until('the marker', () => hook.received.find((r) => r.payload.groupLabels.alertname === 'Marker'));
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.received.map((r) => r.payload.groupLabels.alertname)).toEqual(['Durable', 'Marker']);
  });

  it('refuses link-local and cloud metadata destinations', async () => {
    expect(['169.254.169.254', '::ffff:169.254.1.1', 'fe80::1', 'fd00:ec2::254', '100.100.100.200'].map(isForbiddenAddress)).toEqual([true, true, true, true, true]);
    expect(['127.0.0.1', '10.0.0.1', '::1', '192.168.1.1'].map(isForbiddenAddress)).toEqual([false, false, false, false]);
    const registry = new Registry();
    const metrics = createNotifyMetrics(registry);
    const d = new Dispatcher({
      config: parseNotifyConfig('n.yml', 'route:\n  receiver: meta\n  group_wait: 10ms\nreceivers:\n  - name: meta\n    webhook_configs:\n      - url: http://169.254.169.254/latest/meta-data\n'),
      metrics,
      logger: createLogger('silent'),
      externalURL: '',
      allowLinkLocal: false,
    });
    dispatchers.push(d);
    d.receive([alert({ alertname: 'Exfiltrate' })]);
    await until('the refusal', async () => ((await metrics.failed.get()).values.find((v) => v.labels.receiver === 'meta')?.value === 1 ? true : undefined));
  });
});
