import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '../../alerting/index.js';
import type { AlertmanagerServer, VigilProcess } from '../support/index.js';
import { alertmanagerInstalled, pushGauges, startAlertmanager, startVigil } from '../support/index.js';
import type { ApiAlert } from './apiAlert.js';

const AMTOOL = '/usr/bin/amtool';

/** Polls `probe` until it returns a value (not undefined); fails with `what` after ~20 s. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/**
 * The rule evaluator as a role of the built `vigil start`: a Prometheus rule file evaluated over
 * OTLP-pushed data, alerts in /api/v1/alerts and /api/v1/rules, ALERTS and recorded series
 * queryable, alerts delivered to a real Alertmanager, reload refusing a bad file, and the `for`
 * state restored from ALERTS_FOR_STATE after a restart.
 */
describe.skipIf(!alertmanagerInstalled)('vigil start --rule-files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-e2e-'));
  const dataDir = join(dir, 'data');
  const rulesFile = join(dir, 'rules', 'rooms.yml');
  const configFile = join(dir, 'vigil.yml');
  const notifyFile = join(dir, 'notify.yml');
  let am: AlertmanagerServer;
  let vigil: VigilProcess;
  // The webhook receiver of --notify-config: a local HTTP sink recording every payload.
  const payloads: WebhookPayload[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      payloads.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  const start = (): Promise<VigilProcess> =>
    startVigil({
      dataDir,
      args: ['--config', configFile, '--rule-files', join(dir, 'rules', '*.yml'), '--alertmanager-url', am.base, '--notify-config', notifyFile],
      env: { VIGIL_RULES__FOR_GRACE_PERIOD_MS: '0' },
    });

  beforeAll(async () => {
    am = await startAlertmanager();
    await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));
    const port = (hook.address() as AddressInfo).port;
    writeFileSync(notifyFile, `route:\n  receiver: hook\n  group_by: [alertname]\n  group_wait: 100ms\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:${port}/alerts\n`);
    mkdirSync(join(dir, 'rules'));
    copyFileSync(join(import.meta.dirname, 'data', 'e2e_rules.yml'), rulesFile);
    writeFileSync(configFile, 'rules:\n  externalLabels:\n    site: lab\n  externalUrl: http://vigil.example:8470\ncollectors:\n  host:\n    enabled: false\n');
    vigil = await start();
    const now = Date.now();
    // level{room="a"} = 9 from a minute ago to ten minutes ahead, every 5 s.
    const points = Array.from({ length: 130 }, (_, i) => ({ name: 'level', labels: { room: 'a' }, t: now - 60_000 + i * 5_000, v: 9 }));
    await pushGauges(vigil.url, points);
  });
  afterAll(async () => {
    await vigil?.stop();
    am?.stop();
    hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires the alert after its `for`, with expanded labels and annotations', async () => {
    const firing = await eventually('LevelHigh firing', async () => {
      const body = await getJson<{ status: string; data: { alerts: ApiAlert[] } }>(`${vigil.url}/api/v1/alerts`);
      return body.data.alerts.find((a) => a.labels.alertname === 'LevelHigh' && a.state === 'firing');
    });
    expect(firing.labels).toEqual({ alertname: 'LevelHigh', room: 'a', severity: 'page' });
    expect(firing.annotations).toEqual({ summary: 'a at 9 in lab' });
    expect(firing.value).toBe('9e+00');
  });

  it('lets a rule read what an earlier rule of the same round recorded, as Prometheus does', async () => {
    const body = await getJson<{ data: { alerts: ApiAlert[] } }>(`${vigil.url}/api/v1/alerts`);
    const activeAt = (name: string): string | undefined => body.data.alerts.find((a) => a.labels.alertname === name)?.activeAt;
    // DoubledHigh reads room:level:doubled, recorded just before it: both start in the same round.
    expect(activeAt('DoubledHigh')).toBeDefined();
    expect(activeAt('DoubledHigh')).toBe(activeAt('LevelHigh'));
  });

  it('lists groups and rules in /api/v1/rules as Prometheus does', async () => {
    const body = await getJson<{ data: { groups: { name: string; file: string; interval: number; rules: Record<string, unknown>[] }[] } }>(`${vigil.url}/api/v1/rules`);
    const [group] = body.data.groups;
    expect(group).toMatchObject({ name: 'rooms', file: rulesFile, interval: 1 });
    expect(group?.rules.map((r) => [r.type, r.name, r.query, r.health])).toEqual([
      ['recording', 'room:level:doubled', 'level * 2', 'ok'],
      ['alerting', 'LevelHigh', 'level > 5', 'ok'],
      ['alerting', 'DoubledHigh', 'room:level:doubled > 10', 'ok'],
      ['alerting', 'SlowBurn', 'level > 5', 'ok'],
    ]);
    expect(group?.rules[1]).toMatchObject({ duration: 2, labels: { severity: 'page' }, annotations: { summary: '{{ $labels.room }} at {{ $value }} in {{ $externalLabels.site }}' } });
    const recordOnly = await getJson<{ data: { groups: { rules: unknown[] }[] } }>(`${vigil.url}/api/v1/rules?type=record`);
    expect(recordOnly.data.groups[0]?.rules).toHaveLength(1);
  });

  it('writes ALERTS and the recorded series through the ingest pipeline', async () => {
    const alerts = await eventually('ALERTS firing', async () => {
      const body = await getJson<{ data: { result: { metric: Record<string, string> }[] } }>(`${vigil.url}/api/v1/query?query=${encodeURIComponent('ALERTS{alertstate="firing", alertname="LevelHigh"}')}`);
      return body.data.result.length > 0 ? body.data.result : undefined;
    });
    expect(alerts.map((r) => r.metric)).toEqual([{ __name__: 'ALERTS', alertname: 'LevelHigh', alertstate: 'firing', room: 'a', severity: 'page' }]);
    const recorded = await getJson<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(`${vigil.url}/api/v1/query?query=room:level:doubled`);
    expect(recorded.data.result.map((r) => [r.metric, r.value[1]])).toEqual([[{ __name__: 'room:level:doubled', room: 'a' }, '18']]);
  });

  it('delivers the firing alert to Alertmanager with the external labels', async () => {
    const received = await eventually('the alert at Alertmanager', async () => {
      const list = await getJson<{ labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string }[]>(`${am.base}/api/v2/alerts`);
      return list.find((a) => a.labels.alertname === 'LevelHigh');
    });
    expect(received.labels).toEqual({ alertname: 'LevelHigh', room: 'a', severity: 'page', site: 'lab' });
    expect(received.annotations).toEqual({ summary: 'a at 9 in lab' });
    expect(received.generatorURL).toBe('http://vigil.example:8470/graph?g0.expr=level%20%3E%205&g0.tab=1');
  });

  it('delivers the alert to the --notify-config webhook as Alertmanager would, with the same fingerprint', async () => {
    const payload = await eventually('the webhook payload', async () => Promise.resolve(payloads.find((p) => p.groupLabels.alertname === 'LevelHigh')));
    expect(payload).toMatchObject({ version: '4', status: 'firing', receiver: 'hook', commonLabels: { alertname: 'LevelHigh', room: 'a', severity: 'page', site: 'lab' } });
    const atAm = await getJson<{ labels: Record<string, string>; fingerprint: string }[]>(`${am.base}/api/v2/alerts`);
    expect(payload.alerts[0]?.fingerprint).toBe(atAm.find((a) => a.labels.alertname === 'LevelHigh')?.fingerprint);
  });

  it('answers amtool through Alertmanager\'s API v2: alerts, silences, and a silenced alert is not delivered', async () => {
    const amtool = (...args: string[]): string => {
      const r = spawnSync(AMTOOL, [`--alertmanager.url=${vigil.url}`, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`amtool ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const alerts = JSON.parse(amtool('alert', 'query', '-o', 'json')) as { labels: Record<string, string>; status: { state: string } }[];
    expect(alerts.find((a) => a.labels.alertname === 'LevelHigh')?.status.state).toBe('active');
    const id = amtool('silence', 'add', 'alertname=Muted', '--comment=maintenance', '--author=ops', '--duration=1h').trim();
    expect(amtool('silence', 'query', '-q')).toContain(id);
    // An alert posted like Prometheus posts it, silenced: listed as suppressed, never delivered.
    const post = await fetch(`${vigil.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'Muted', room: 'z' } }, { labels: { alertname: 'Marker', room: 'z' } }]) });
    expect(post.status).toBe(200);
    await eventually('the marker delivered', async () => Promise.resolve(payloads.find((p) => p.groupLabels.alertname === 'Marker')));
    expect(payloads.some((p) => p.groupLabels.alertname === 'Muted')).toBe(false);
    const suppressed = await getJson<{ labels: Record<string, string>; status: { state: string; silencedBy: string[] } }[]>(`${vigil.url}/api/v2/alerts?filter=alertname%3D%22Muted%22`);
    expect(suppressed.map((a) => a.status)).toEqual([{ state: 'suppressed', silencedBy: [id], inhibitedBy: [] }]);
    amtool('silence', 'expire', id);
    const bad = await fetch(`${vigil.url}/api/v2/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ matchers: [], startsAt: 'x' }) });
    expect(bad.status).toBe(400);
  });

  it('refuses a reload with a bad rule file, naming file, group and rule, and keeps the old rules', async () => {
    writeFileSync(rulesFile, 'groups:\n  - name: rooms\n    rules:\n      - alert: Broken\n        expr: level >\n');
    const res = await fetch(`${vigil.url}/-/reload`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain(`${rulesFile}: group "rooms", rule 1 (alert "Broken"): could not parse expression`);
    const body = await getJson<{ data: { groups: { rules: { name: string }[] }[] } }>(`${vigil.url}/api/v1/rules`);
    expect(body.data.groups[0]?.rules.map((r) => r.name)).toEqual(['room:level:doubled', 'LevelHigh', 'DoubledHigh', 'SlowBurn']);
    copyFileSync(join(import.meta.dirname, 'data', 'e2e_rules.yml'), rulesFile);
    expect((await fetch(`${vigil.url}/-/reload`, { method: 'POST' })).status).toBe(200);
  });

  it('restores the pending time of an alert from ALERTS_FOR_STATE after a restart', async () => {
    const pendingOf = async (): Promise<ApiAlert | undefined> => {
      const body = await getJson<{ data: { alerts: ApiAlert[] } }>(`${vigil.url}/api/v1/alerts`);
      return body.data.alerts.find((a) => a.labels.alertname === 'SlowBurn');
    };
    const before = await eventually('SlowBurn pending', pendingOf);
    // ALERTS_FOR_STATE must be durable before the restart.
    await eventually('ALERTS_FOR_STATE stored', async () => {
      const body = await getJson<{ data: { result: unknown[] } }>(`${vigil.url}/api/v1/query?query=${encodeURIComponent('ALERTS_FOR_STATE{alertname="SlowBurn"}')}`);
      return body.data.result.length > 0 ? true : undefined;
    });
    // Pending well longer than a restart takes, so that a restored ActiveAt is clearly older than a fresh one.
    await eventually('SlowBurn pending for 8 s', async () => (Date.now() - Date.parse(before.activeAt) > 8000 ? true : undefined));
    await vigil.stop();
    vigil = await start();
    const loadedAt = await eventually('the restarted rules loaded', async () => {
      const line = vigil.output().split('\n').find((l) => l.includes('"rules loaded"'));
      return line === undefined ? undefined : (JSON.parse(line) as { time: number }).time;
    });
    // Afresh, the alert would be pending since the first round after loadedAt; restored, it keeps
    // the pending time it had before the stop (ActiveAt moved forward by the down time only).
    const after = await eventually('SlowBurn restored', async () => {
      const a = await pendingOf();
      return a !== undefined && Date.parse(a.activeAt) < loadedAt ? a : undefined;
    });
    expect(after.state).toBe('pending');
    expect(Date.parse(after.activeAt)).toBeGreaterThan(Date.parse(before.activeAt));
    expect(vigil.output()).toMatch(/"group":"rooms","restored":3,"msg":"restored the for state of alerts"/);
  });
});
