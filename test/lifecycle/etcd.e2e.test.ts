import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ProcessDirector, onPath, run } from './processRig.js';
import { repoRoot } from './support.js';

/**
 * End to end on real processes: `vigil director` with the process CPI, the CLI, Debian's etcd.
 * Each VM is an agent process group on its own loopback IP in 127.72.1.0/24.
 */
if (!onPath('etcd') || !onPath('etcdctl')) {
  throw new Error('etcd is not installed: these tests need Debian etcd-server and etcd-client — run .ci/install-etcd.sh as root');
}

const rig = new ProcessDirector({ VIGIL_DIRECTOR__NETWORK: '127.72.1.0/24', VIGIL_DIRECTOR__HEARTBEAT_TIMEOUT_MS: '3000' });
const vigil = (...args: string[]): ReturnType<ProcessDirector['vigil']> => rig.vigil(...args);

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

async function waitHealthy(endpoints: readonly string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await healthy(endpoints))) {
    if (Date.now() > deadline) throw new Error(`etcd not healthy at ${endpoints.join(',')} within ${ms} ms\n${await rig.diagnose('etcd')}`);
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
  const file = join(rig.workDir, `manifest-${Date.now()}.yml`);
  writeFileSync(file, stringify(m));
  return file;
}

beforeAll(async () => {
  await rig.start();
}, 60_000);

afterAll(() => {
  rig.kill();
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
    const pid = Number(readFileSync(join(rig.vmDir(victim.vm_cid), 'agent.pid'), 'utf8'));
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
    const runScript = readFileSync(join(rig.vmDir((await instances())[2]?.vm_cid ?? ''), 'jobs', 'etcd', 'bin', 'run'), 'utf8');
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
    for (let k = 0; ; k++) {
      const ev = await rig.api<{ stage: string; state: string }[]>(`/tasks/${id}/events`);
      if (ev.some((e) => e.stage === 'Updating instance' && e.state === 'started')) break;
      if (k > 200) throw new Error('the deploy never started updating');
      await new Promise((r) => setTimeout(r, 50));
    }
    await rig.crash();
    await rig.start();
    let task: { state: string; resumes: number; error: string | null } = { state: 'processing', resumes: 0, error: null };
    for (let k = 0; k < 600 && (task.state === 'processing' || task.state === 'queued'); k++) {
      await new Promise((r) => setTimeout(r, 100));
      task = await rig.api<typeof task>(`/tasks/${id}`);
    }
    expect(task).toMatchObject({ state: 'done', resumes: 1, error: null });
    const log = await vigil('task', String(id));
    expect(log.out).toContain('Director restarted: the director restarted while this task ran; resuming it');
    await waitHealthy(members.map(endpoint), 20_000);
    expect((await instances()).map((i) => i.process_state)).toEqual(['running', 'running', 'running']);
  }, 120_000);
});
