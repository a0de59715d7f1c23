import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { c as createTar } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../core/index.js';
import { directorApi, directorApiPrefix } from '../../lifecycle/index.js';
import { deployAndWait, dummyDirector, etcdManifest, etcdReleaseDir } from './support.js';
import type { DummyRig } from './support.js';

/**
 * Safe by default: per-VM agent credentials (minted at create_vm, only hashes kept, surviving a director
 * restart, dying with the VM), heartbeats that must carry them, and an audit log of every lifecycle action.
 */
const P = directorApiPrefix;
let rig: DummyRig;
let app: FastifyInstance;

/** The director API behind a stand-in for the platform's auth hook: header x-test-principal picks who asks. */
async function api(principals: Record<string, Principal> = {}): Promise<FastifyInstance> {
  app = Fastify();
  app.addHook('onRequest', async (req) => {
    const who = req.headers['x-test-principal'];
    req.identity = { tenant: 'default', principal: typeof who === 'string' ? (principals[who] ?? null) : null };
  });
  await app.register(directorApi, { prefix: P, director: rig.director });
  await app.ready();
  return app;
}

const ops: Principal = { name: 'ops', id: 'tok-ops', scopes: ['lifecycle'], tenant: '*' };
const beat = (agentId: string): Record<string, unknown> => ({ agent_id: agentId, job_state: 'running', processes: [], spec_hash: null });

afterEach(async () => {
  await app?.close();
  await rig.close();
});

describe('agent credentials', () => {
  it('each VM gets its own secret; the director verifies it as agent:<id> with ingest only, after a restart too, and not after the VM is gone', async () => {
    rig = dummyDirector();
    expect((await deployAndWait(rig.director, etcdManifest({ instances: 2 }))).state).toBe('done');
    const vms = [...rig.cpi.vms.values()];
    expect(new Set(vms.map((v) => v.secret)).size).toBe(2);
    for (const vm of vms) {
      expect(vm.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(rig.director.agentCredentials().verify(vm.secret)).toEqual({ name: `agent:${vm.agentId}`, id: `agent:${vm.agentId}`, scopes: ['ingest'], tenant: 'default', agentId: vm.agentId });
    }
    for (const wrong of ['', 'nope', `${vms[0]?.secret ?? ''}x`, 'x'.repeat(10_000)]) expect(rig.director.agentCredentials().verify(wrong)).toBeNull();

    // A restarted director still reaches the agents (the dummy agents refuse a wrong secret) and still knows them.
    const again = rig.restart();
    expect(again.agentCredentials().verify(vms[0]?.secret ?? '')?.agentId).toBe(vms[0]?.agentId);
    const restart = await again.waitTask(again.instanceCommand('etcd', 'restart', null), 30_000);
    expect(restart.state).toBe('done');

    // Recreating a VM mints a new credential; the old one dies with the old VM.
    const old = vms[0];
    expect((await again.waitTask(again.instanceCommand('etcd', 'recreate', 'etcd/0'), 30_000)).state).toBe('done');
    expect(again.agentCredentials().verify(old?.secret ?? '')).toBeNull();
    const fresh = [...rig.cpi.vms.values()].find((v) => !vms.includes(v));
    expect(again.agentCredentials().verify(fresh?.secret ?? '')?.agentId).toBe(fresh?.agentId);
  }, 60_000);

  it('refuses forged heartbeats, with or without platform authentication', async () => {
    rig = dummyDirector();
    await deployAndWait(rig.director, etcdManifest({ instances: 2 }));
    const [a, b] = [...rig.cpi.vms.values()];
    if (a === undefined || b === undefined) throw new Error('two VMs expected');
    await api({ a: { name: `agent:${a.agentId}`, id: `agent:${a.agentId}`, scopes: ['ingest'], tenant: 'default', agentId: a.agentId }, ops });
    const cases: [string, Record<string, string>, number, RegExp | null][] = [
      ['no credential', {}, 401, /send Authorization: Bearer/],
      ['a wrong secret', { authorization: 'Bearer forged' }, 401, /not this agent's/],
      ["another agent's secret", { authorization: `Bearer ${b.secret}` }, 401, /not this agent's/],
      ['its own secret, but the platform authenticated someone else', { authorization: `Bearer ${a.secret}`, 'x-test-principal': 'ops' }, 401, /authenticated as tok-ops/],
      ['its own secret (auth off)', { authorization: `Bearer ${a.secret}` }, 204, null],
      ['its own secret (auth on, as itself)', { authorization: `Bearer ${a.secret}`, 'x-test-principal': 'a' }, 204, null],
    ];
    for (const [name, headers, status, want] of cases) {
      const res = await app.inject({ method: 'POST', url: `${P}/agents/${a.agentId}/heartbeat`, headers, payload: beat(a.agentId) });
      expect(res.statusCode, name).toBe(status);
      if (want !== null) expect(res.json().error.message, name).toMatch(want);
    }
  }, 30_000);
});

describe('audit log', () => {
  it('records who did what, when, with what result - and the task it started, with its final state', async () => {
    rig = dummyDirector();
    await api({ ops });
    const t0 = Date.now();
    const as = { 'x-test-principal': 'ops' };
    const deploy = await app.inject({ method: 'POST', url: `${P}/deployments`, headers: as, payload: { manifest: etcdManifest({ instances: 1 }), deployment: 'etcd' } });
    expect(deploy.statusCode).toBe(202);
    await rig.director.waitTask(deploy.json().task_id as number);
    const refused = await app.inject({ method: 'POST', url: `${P}/deployments`, payload: { manifest: 'name: etcd\nreleases: 3\n', deployment: 'etcd' } });
    expect(refused.statusCode).toBe(400);
    const chunks: Buffer[] = [];
    for await (const c of createTar({ gzip: true, cwd: etcdReleaseDir, portable: true }, ['.'])) chunks.push(Buffer.from(c as Uint8Array));
    await app.inject({ method: 'POST', url: `${P}/releases`, headers: { ...as, 'content-type': 'application/gzip' }, payload: Buffer.concat(chunks) });
    const del = await app.inject({ method: 'DELETE', url: `${P}/deployments/etcd`, headers: as });
    await rig.director.waitTask(del.json().task_id as number);

    const res = await app.inject({ method: 'GET', url: `${P}/audit` });
    expect(res.statusCode).toBe(200);
    const { entries, next_before } = res.json() as { entries: Record<string, unknown>[]; next_before: number | null };
    expect(next_before).toBeNull();
    expect(entries.map((e) => [e['actor'], e['action'], e['target'], e['result'], e['task_state']])).toEqual([
      [{ id: 'tok-ops', name: 'ops' }, 'delete_deployment', 'deployment etcd', 'accepted', 'done'],
      [{ id: 'tok-ops', name: 'ops' }, 'upload_release', 'release', 'refused', null],
      [{ id: 'anonymous', name: 'anonymous' }, 'deploy', 'deployment etcd', 'refused', null],
      [{ id: 'tok-ops', name: 'ops' }, 'deploy', 'deployment etcd', 'accepted', 'done'],
    ]);
    expect(entries[1]?.['error']).toBe('release etcd/1 is already uploaded; bump its version');
    expect(entries[2]?.['error']).toMatch(/^manifest is invalid: releases/);
    expect(entries[3]?.['task_id']).toBe(deploy.json().task_id);
    for (const e of entries) expect(Date.parse(String(e['at']))).toBeGreaterThanOrEqual(t0 - 1000);
  }, 30_000);

  it('pages back with limit and before, and refuses a bad query', async () => {
    rig = dummyDirector();
    await api();
    for (let i = 0; i < 5; i++) await app.inject({ method: 'DELETE', url: `${P}/deployments/nope${i}` });
    const seen: string[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const res = await app.inject({ method: 'GET', url: `${P}/audit?limit=2${before !== null ? `&before=${before}` : ''}` });
      const page = res.json() as { entries: { target: string; error: string }[]; next_before: number | null };
      seen.push(...page.entries.map((e) => e.target));
      before = page.next_before;
      pages++;
    } while (before !== null && pages < 10);
    expect(seen).toEqual(['deployment nope4', 'deployment nope3', 'deployment nope2', 'deployment nope1', 'deployment nope0']);
    for (const [q, want] of [
      ['limit=0', /query\.limit/],
      ['limit=abc', /query\.limit/],
      ['before=-1', /query\.before/],
      ['who=me', /Unrecognized key: "who"/],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `${P}/audit?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.message, q).toMatch(want);
    }
  });

  it("records the resurrector's automatic actions as 'resurrector'", async () => {
    rig = dummyDirector({ resurrection: true });
    await deployAndWait(rig.director, etcdManifest({ instances: 2 }));
    const lost = rig.director.instances('etcd')[1];
    rig.cpi.loseVm(lost?.vm_cid ?? '');
    await rig.director.checkHealth();
    const entry = rig.director.auditLog({ limit: 10 }).find((e) => e.action === 'resurrect');
    expect(entry).toMatchObject({ actor: { id: 'resurrector', name: 'resurrector' }, target: 'deployment etcd etcd/1', result: 'accepted', detail: 'resurrector: etcd/1 vm_missing' });
    expect(entry?.taskId).toBeGreaterThan(0);
  }, 30_000);
});
