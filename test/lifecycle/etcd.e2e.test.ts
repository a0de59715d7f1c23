import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { repoRoot, tmp } from './support.js';

/**
 * End to end on real processes: `vigil director` with the process CPI, the CLI, Debian's etcd.
 * Each VM is an agent process group on its own loopback IP in 127.72.1.0/24.
 */
const run = promisify(execFile);
const network = '127.72.1.0/24';
const tsxDir = join(repoRoot, 'node_modules', 'tsx', 'dist');
const node = [process.execPath, '--require', join(tsxDir, 'preflight.cjs'), '--import', `file://${join(tsxDir, 'loader.mjs')}`, join(repoRoot, 'bin', 'vigil.ts')];

function onPath(bin: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((d) => d.length > 0 && existsSync(join(d, bin)));
}
if (!onPath('etcd') || !onPath('etcdctl')) {
  throw new Error('etcd is not installed: these tests need Debian etcd-server and etcd-client — run .ci/install-etcd.sh as root');
}

const work = tmp('e2e-etcd');
let director: ChildProcess | null = null;
let url = '';

async function vigil(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(node[0] as string, [...node.slice(1), ...args], { cwd: repoRoot, env: { ...process.env, VIGIL_URL: url }, maxBuffer: 16 << 20 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: e.stdout ?? '', err: e.stderr ?? '' };
  }
}

interface Inst {
  instance: string;
  process_state: string;
  vm_cid: string;
  disk_cid: string;
  ips: string[];
  processes: { pid: number | null }[];
}

async function instances(): Promise<Inst[]> {
  const r = await vigil('instances', '-d', 'etcd', '--json');
  expect(r.err).toBe('');
  return JSON.parse(r.out) as Inst[];
}

const endpoint = (i: Inst): string => `http://${i.ips[0]}:2379`;

async function healthy(endpoints: readonly string[]): Promise<boolean> {
  try {
    await run('etcdctl', ['--dial-timeout=1s', '--command-timeout=2s', `--endpoints=${endpoints.join(',')}`, 'endpoint', 'health'], { env: { ...process.env, ETCDCTL_API: '3' } });
    return true;
  } catch {
    return false;
  }
}

/** What the director says, for failure messages: recent tasks with their events, and health events. */
async function diagnose(): Promise<string> {
  try {
    const api = `${url}/api/v1/director`;
    const tasks = (await (await fetch(`${api}/tasks?recent=3`)).json()) as { id: number }[];
    const logs = await Promise.all(tasks.map(async (t) => ({ task: t, events: (await (await fetch(`${api}/tasks/${t.id}/events`)).json()) as unknown })));
    const health = (await (await fetch(`${api}/deployments/etcd/health-events`)).json()) as unknown;
    return JSON.stringify({ logs, health }, null, 1);
  } catch (err) {
    return `(no diagnosis: ${(err as Error).message})`;
  }
}

async function waitHealthy(endpoints: readonly string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await healthy(endpoints))) {
    if (Date.now() > deadline) throw new Error(`etcd not healthy at ${endpoints.join(',')} within ${ms} ms\n${await diagnose()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

async function put(ep: string, key: string, value: string): Promise<void> {
  const res = await fetch(`${ep}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }), signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as { error?: string };
  if (!res.ok || body.error !== undefined) throw new Error(`put to ${ep}: HTTP ${res.status} ${JSON.stringify(body)}`);
}

async function get(ep: string, key: string): Promise<string | null> {
  const res = await fetch(`${ep}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: b64(key) }), signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as { kvs?: { value: string }[] };
  const v = body.kvs?.[0]?.value;
  return v === undefined ? null : Buffer.from(v, 'base64').toString();
}

async function leaderIndex(all: readonly Inst[]): Promise<number> {
  const { stdout } = await run('etcdctl', [`--endpoints=${all.map(endpoint).join(',')}`, 'endpoint', 'status', '-w', 'json'], { env: { ...process.env, ETCDCTL_API: '3' } });
  const st = JSON.parse(stdout) as { Endpoint: string; Status: { header: { member_id: number }; leader: number } }[];
  const leader = st.find((s) => s.Status.header.member_id === s.Status.leader);
  return all.findIndex((i) => endpoint(i) === leader?.Endpoint);
}

function manifestWith(props: Record<string, unknown>, update: Record<string, unknown> = {}): string {
  const m = parse(readFileSync(join(repoRoot, 'examples/etcd/manifest.yml'), 'utf8')) as {
    update: Record<string, unknown>;
    instance_groups: { jobs: { properties: { etcd: Record<string, unknown> } }[] }[];
  };
  Object.assign(m.update, update);
  Object.assign(m.instance_groups[0]?.jobs[0]?.properties.etcd ?? {}, props);
  const file = join(work.dir, `manifest-${Date.now()}.yml`);
  writeFileSync(file, stringify(m));
  return file;
}

/** Kills every VM process group the process CPI started, then the director. */
function killEverything(): void {
  const vms = join(work.dir, 'data', 'director', 'cpi', 'vms');
  if (existsSync(vms)) {
    for (const cid of readdirSync(vms)) {
      const pidFile = join(vms, cid, 'agent.pid');
      if (!existsSync(pidFile)) continue;
      try {
        process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (director?.pid !== undefined) {
    try {
      process.kill(-director.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Starts `vigil director` in its own process group on a fixed port (agents keep heartbeating to it across restarts). */
async function startDirector(port: number): Promise<void> {
  const child = spawn(node[0] as string, [...node.slice(1), 'director', '--http-port', String(port), '--http-host', '127.0.0.1', '--data-dir', join(work.dir, 'data')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VIGIL_DIRECTOR__NETWORK: network, VIGIL_DIRECTOR__HEARTBEAT_TIMEOUT_MS: '3000', VIGIL_LOG_LEVEL: 'info' },
  });
  director = child;
  url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`director did not start: ${buf}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /"url":"(http:\/\/[^"]+)".*director listening/.exec(buf);
      if (m !== null) {
        clearTimeout(t);
        resolve(m[1] as string);
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      buf += c.toString();
    });
    child.on('exit', (code) => reject(new Error(`director exited with ${code}: ${buf}`)));
  });
}

let port = 0;

beforeAll(async () => {
  port = await freePort();
  await startDirector(port);
}, 60_000);

afterAll(() => {
  killEverything();
  work.cleanup();
});

describe('etcd on the process CPI, driven by the CLI', () => {
  let members: Inst[] = [];

  it('deploys a 3-member cluster whose members find each other through the link', async () => {
    const up = await vigil('upload-release', join(repoRoot, 'examples/etcd/release'));
    expect(up.out).toContain('Uploaded release etcd/1');
    const d = await vigil('deploy', '-d', 'etcd', join(repoRoot, 'examples/etcd/manifest.yml'));
    expect(d.err).toBe('');
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/Task \d+ done/);
    members = await instances();
    expect(members.map((i) => [i.instance, i.process_state])).toEqual([
      ['etcd/0', 'running'],
      ['etcd/1', 'running'],
      ['etcd/2', 'running'],
    ]);
    expect(new Set(members.map((i) => i.ips[0])).size).toBe(3);
    await waitHealthy(members.map(endpoint), 20_000);
    const { stdout } = await run('etcdctl', [`--endpoints=${endpoint(members[0] as Inst)}`, 'member', 'list'], { env: { ...process.env, ETCDCTL_API: '3' } });
    expect(stdout.trim().split('\n')).toHaveLength(3);
  }, 120_000);

  it('resurrects a member killed with kill -9 on its persistent disk; writes never fail', async () => {
    const leader = await leaderIndex(members);
    const victimIdx = leader === 1 ? 2 : 1; // a follower: losing it never costs quorum or a leader election
    const victim = members[victimIdx] as Inst;
    const others = members.filter((_m, k) => k !== victimIdx).map(endpoint);
    await put(others[0] as string, 'before-kill', 'kept');
    const pid = Number(readFileSync(join(work.dir, 'data', 'director', 'cpi', 'vms', victim.vm_cid, 'agent.pid'), 'utf8'));
    let writing = true;
    let ok = 0;
    const failures: string[] = [];
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        try {
          await put(others[n % 2] as string, `k${n}`, `v${n}`);
          ok++;
        } catch (err) {
          failures.push((err as Error).message);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const killedAt = Date.now();
    process.kill(-pid, 'SIGKILL');
    await waitHealthy([endpoint(victim)], 60_000);
    const seconds = (Date.now() - killedAt) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    writing = false;
    await writer;
    console.log(`self-healing: kill -9 of ${victim.instance} → etcd healthy again in ${seconds.toFixed(1)} s; ${ok} writes succeeded, ${failures.length} failed meanwhile`);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(10);
    const after = (await instances())[victimIdx] as Inst;
    expect(after.vm_cid).not.toBe(victim.vm_cid);
    expect(after.disk_cid).toBe(victim.disk_cid);
    expect(after.ips).toEqual(victim.ips);
    // It rejoined as the same member, with the data it had before.
    expect(await get(endpoint(after), 'before-kill')).toBe('kept');
    expect(await get(endpoint(after), `k${ok - 1}`)).not.toBeNull();
    const tasks = JSON.parse((await vigil('tasks', '--recent=5', '--json')).out) as { description: string; state: string }[];
    expect(tasks.find((t) => t.description === `resurrect ${victim.instance}`)?.state).toBe('done');
    members = await instances();
  }, 120_000);

  it('rolls a property change out canary first, then one instance at a time', async () => {
    const d = await vigil('deploy', '-d', 'etcd', manifestWith({ heartbeat_interval_ms: 150, election_timeout_ms: 1500 }, { canaries: 1, max_in_flight: 1 }));
    expect(d.code).toBe(0);
    const order = d.out
      .split('\n')
      .map((l) => /Updating instance: (etcd\/\d( \(canary\))?)(?: \(\d\/3\))? (started|finished|failed)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]} ${m[3]}`);
    expect(order).toEqual(['etcd/0 (canary) started', 'etcd/0 (canary) finished', 'etcd/1 started', 'etcd/1 finished', 'etcd/2 started', 'etcd/2 finished']);
    await waitHealthy(members.map(endpoint), 20_000);
    const runScript = readFileSync(join(work.dir, 'data', 'director', 'cpi', 'vms', (await instances())[2]?.vm_cid ?? '', 'jobs', 'etcd', 'bin', 'run'), 'utf8');
    expect(runScript).toContain('--heartbeat-interval 150');
  }, 120_000);

  it('stops after a failing canary and leaves the other members untouched', async () => {
    const before = await instances();
    const d = await vigil('deploy', '-d', 'etcd', manifestWith({ heartbeat_interval_ms: 150, election_timeout_ms: 1500, extra_args: '--no-such-flag' }, { canary_watch_time: '1000-4000' }));
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/canary failed in etcd: etcd\/0 is not running after 4000 ms: process etcd\/etcd crashed \d+ time\(s\) since the update \(now (failing|running)\); update stopped, 2 other instance\(s\) left untouched/);
    expect(d.out).not.toMatch(/etcd\/1 started/);
    const after = await instances();
    expect(after[0]?.process_state).toBe('failing');
    for (const k of [1, 2]) {
      expect(after[k]?.vm_cid).toBe(before[k]?.vm_cid);
      expect(after[k]?.processes[0]?.pid).toBe(before[k]?.processes[0]?.pid);
      expect(after[k]?.process_state).toBe('running');
    }
    await waitHealthy([endpoint(after[1] as Inst), endpoint(after[2] as Inst)], 10_000);
    // The fixed manifest repairs the canary.
    const fixed = await vigil('deploy', '-d', 'etcd', manifestWith({ heartbeat_interval_ms: 150, election_timeout_ms: 1500 }));
    expect(fixed.code).toBe(0);
    await waitHealthy(after.map(endpoint), 20_000);
  }, 120_000);
  it('a director killed with kill -9 mid-deploy resumes the task when it comes back', async () => {
    const started = await vigil('deploy', '-d', 'etcd', manifestWith({ heartbeat_interval_ms: 120, election_timeout_ms: 1500 }), '--no-follow');
    const id = Number(/Task (\d+)/.exec(started.out)?.[1]);
    expect(id).toBeGreaterThan(0);
    const api = (): string => `${url}/api/v1/director`;
    for (let k = 0; ; k++) {
      const ev = (await (await fetch(`${api()}/tasks/${id}/events`)).json()) as { stage: string; state: string }[];
      if (ev.some((e) => e.stage === 'Updating instance' && e.state === 'started')) break;
      if (k > 200) throw new Error('the deploy never started updating');
      await new Promise((r) => setTimeout(r, 50));
    }
    const old = director;
    process.kill(-(old?.pid ?? 0), 'SIGKILL');
    await new Promise((r) => old?.once('exit', r));
    await startDirector(port);
    let task: { state: string; resumes: number; error: string | null } = { state: 'processing', resumes: 0, error: null };
    for (let k = 0; k < 600 && (task.state === 'processing' || task.state === 'queued'); k++) {
      await new Promise((r) => setTimeout(r, 100));
      task = (await (await fetch(`${api()}/tasks/${id}`)).json()) as typeof task;
    }
    expect(task).toMatchObject({ state: 'done', resumes: 1, error: null });
    const log = await vigil('task', String(id));
    expect(log.out).toContain('Director restarted: the director restarted while this task ran; resuming it');
    await waitHealthy(members.map(endpoint), 20_000);
    expect((await instances()).map((i) => i.process_state)).toEqual(['running', 'running', 'running']);
  }, 120_000);
});
