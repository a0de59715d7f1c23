import { existsSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckedCpi, HttpAgentTransport, ProcessCpi } from '../../lifecycle/index.js';
import type { AgentState, ApplySpec } from '../../lifecycle/index.js';
import { repoRoot, tmp } from './support.js';

/**
 * The process CPI with real agents: a VM is an agent process group on its own loopback IP; disks are
 * directories that outlive VMs. A small HTTP server stands in for the director (heartbeats) and the
 * platform (OTLP logs).
 */
const tsxDir = join(repoRoot, 'node_modules', 'tsx', 'dist');
const agentCommand = [process.execPath, '--require', join(tsxDir, 'preflight.cjs'), '--import', `file://${join(tsxDir, 'loader.mjs')}`, join(repoRoot, 'bin', 'vigil.ts'), 'vm-agent'];
const work = tmp('process-cpi');
const agentPort = 6868;
const beats: AgentState[] = [];
/** The Authorization header of every heartbeat and shipped batch the stand-in director saw. */
const presented: string[] = [];
/** The VM's credential, as the director would mint it. */
const secret = 'agent-1-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const logLines: string[] = [];
const metricNames = new Set<string>();
const upLabels: Record<string, string>[] = [];
let server: FastifyInstance;
let raw: ProcessCpi;
let cpi: CheckedCpi;
const created: string[] = [];
let diskCid = '';

beforeAll(async () => {
  server = Fastify();
  server.post('/api/v1/director/agents/:id/heartbeat', async (req) => {
    beats.push(req.body as AgentState);
    presented.push(String(req.headers.authorization));
    return {};
  });
  server.post('/v1/logs', async (req) => {
    presented.push(String(req.headers.authorization));
    const body = req.body as { resourceLogs: { scopeLogs: { logRecords: { body: { stringValue: string } }[] }[] }[] };
    for (const rl of body.resourceLogs) for (const sl of rl.scopeLogs) for (const r of sl.logRecords) logLines.push(r.body.stringValue);
    return {};
  });
  server.post('/v1/metrics', async (req) => {
    type Point = { attributes: { key: string; value: { stringValue: string } }[] };
    const body = req.body as { resourceMetrics: { scopeMetrics: { metrics: { name: string; gauge: { dataPoints: Point[] } }[] }[] }[] };
    for (const rm of body.resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const m of sm.metrics) {
          metricNames.add(m.name);
          if (m.name === 'vigil_job_process_up') for (const p of m.gauge.dataPoints) upLabels.push(Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue])));
        }
    return {};
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  raw = new ProcessCpi({ root: work.dir, agentCommand, agentPort, directorUrl: () => url });
  cpi = new CheckedCpi(raw);
});

afterAll(async () => {
  for (const cid of created) {
    const pid = raw.pidOf(cid);
    if (pid !== null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  await server.close();
  work.cleanup();
});

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const script = `let n = 0; setInterval(() => console.log('tick ' + (n++)), 100);`;

function spec(diskCid: string | null, extra: Partial<ApplySpec> = {}): ApplySpec {
  return {
    deployment: 'd',
    instance: { group: 'web', index: 0, id: 'i0', az: 'z1' },
    address: '127.74.1.2',
    state: 'started',
    jobs: [
      {
        name: 'web',
        release: 'r',
        files: { 'bin/web': '#!/bin/sh\necho "store=$VIGIL_STORE_DIR" > "$VIGIL_STORE_DIR/where"\nexec node "$VIGIL_PACKAGES_DIR/ticker/main.mjs"\n', 'bin/crash': '#!/bin/sh\nexit 3\n' },
        processes: [
          { name: 'web', executable: 'bin/web', args: [] },
          { name: 'crash', executable: 'bin/crash', args: [] },
        ],
        packages: ['ticker'],
        hash: 'h1',
      },
    ],
    packages: [{ name: 'ticker', host_binaries: [], files: { 'main.mjs': Buffer.from(script).toString('base64') }, fingerprint: 'f1' }],
    persistent_disk_cid: diskCid,
    hash: `spec-${diskCid ?? 'none'}`,
    ...extra,
  };
}

describe('process CPI and agent', () => {
  it('creates a VM whose agent answers on its own IP, heartbeats, supervises jobs and ships their logs and metrics', async () => {
    const disk = await cpi.createDisk(10, null);
    diskCid = disk;
    const vm = await cpi.createVm({ agent_id: 'agent-1', cloud_properties: {}, networks: { default: { ip: '127.74.1.2' } }, disk_cids: [], env: { platform_url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`, log_ship_interval_ms: 300 }, agent_secret: secret });
    created.push(vm);
    expect(await cpi.hasVm(vm)).toBe(true);
    await cpi.attachDisk(vm, disk);
    const agent = new HttpAgentTransport(agentPort).client({ agentId: 'agent-1', ip: '127.74.1.2', vmCid: vm, secret });
    await until(() => agent.getState(500));
    await agent.apply(spec(disk));
    // The healthy process runs; the crashing one is restarted with backoff and reported failing.
    const st = await until(async () => {
      const s = await agent.getState();
      const crash = s.processes.find((p) => p.name === 'crash');
      return crash !== undefined && crash.restarts >= 2 ? s : undefined;
    });
    expect(st.job_state).toBe('failing');
    expect(st.processes.find((p) => p.name === 'web')?.state).toBe('running');
    await until(() => (beats.some((b) => b.agent_id === 'agent-1' && b.spec_hash === `spec-${disk}`) ? true : undefined));
    await until(() => (logLines.some((l) => l.startsWith('tick ')) ? true : undefined));
    await until(() => (metricNames.has('vigil_job_process_restarts') && upLabels.some((l) => l['process'] === 'web') ? true : undefined));
    expect(upLabels.find((l) => l['process'] === 'web')).toEqual({ deployment: 'd', instance: 'web/0', vigil_job: 'web', process: 'web' });
    // The job's store is the persistent disk.
    expect(existsSync(join(raw.diskDir(disk), 'web', 'where'))).toBe(true);
    // Heartbeats and log shipping carry the VM's credential; the settings holding it are the user's alone.
    expect(new Set(presented)).toEqual(new Set([`Bearer ${secret}`]));
    expect(statSync(join(raw.vmDir(vm), 'settings.json')).mode & 0o777).toBe(0o600);
  }, 60_000);

  // A process that merely reaches the agent's port cannot make it do anything.
  it.each([
    ['no credential', 'GET', '/state', undefined, undefined, 401, /answers only its director/],
    ['a wrong credential', 'GET', '/state', 'Bearer nope', undefined, 401, /answers only its director/],
    ['a wrong credential on /apply', 'POST', '/apply', `Bearer ${secret}x`, '{}', 401, /answers only its director/],
    ['basic auth', 'POST', '/apply', `Basic ${Buffer.from(`x:${secret}`).toString('base64')}`, '{}', 401, /answers only its director/],
    ['a body that is not JSON', 'POST', '/apply', `Bearer ${secret}`, 'rm -rf /', 400, /malformed JSON body.*"rm -rf \/"/],
    ['a spec of the wrong shape', 'POST', '/apply', `Bearer ${secret}`, '{"jobs":3}', 400, /apply spec is invalid: body\.deployment/],
    ['an unknown route', 'GET', '/debug', `Bearer ${secret}`, undefined, 404, /no route "GET \/debug"/],
  ] as const)('the agent refuses %s', async (_n, method, path, authorization, body, status, want) => {
    const res = await fetch(`http://127.74.1.2:${agentPort}${path}`, { method, ...(authorization !== undefined ? { headers: { authorization } } : {}), ...(body !== undefined ? { body } : {}) });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(want);
  });

  it('the agent answers its credential, and refuses an oversized body with 413 before reading it', async () => {
    const ok = await fetch(`http://127.74.1.2:${agentPort}/state`, { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as AgentState).agent_id).toBe('agent-1');
    // Announces 65 MiB and sends a byte: the agent answers from the header alone.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.74.1.2', port: agentPort, path: '/apply', method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-length': String(65 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('x');
    });
    expect(status).toBe(413);
  });

  it('applying the same spec again restarts nothing; a new spec replaces the processes', async () => {
    const vm = created[0] as string;
    const agent = new HttpAgentTransport(agentPort).client({ agentId: 'agent-1', ip: '127.74.1.2', vmCid: vm, secret });
    const before = await agent.getState();
    const disk = diskCid;
    const same = await agent.apply(spec(disk));
    expect(same.processes.find((p) => p.name === 'web')?.pid).toBe(before.processes.find((p) => p.name === 'web')?.pid);
    const onlyWeb = spec(disk, { hash: 'spec-2' });
    const next = await agent.apply({ ...onlyWeb, jobs: [{ ...(onlyWeb.jobs[0] as ApplySpec['jobs'][number]), processes: [{ name: 'web', executable: 'bin/web', args: [] }] }] });
    expect(next.processes.map((p) => p.name)).toEqual(['web']);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await agent.getState()).job_state).toBe('running');
  }, 30_000);

  it('a persistent disk outlives its VM; deleting the VM kills its whole process group', async () => {
    const vm = created[0] as string;
    const agent = new HttpAgentTransport(agentPort).client({ agentId: 'agent-1', ip: '127.74.1.2', vmCid: vm, secret });
    const webPid = (await agent.getState()).processes[0]?.pid ?? 0;
    const disk = diskCid;
    writeFileSync(join(raw.diskDir(disk), 'keep'), 'me');
    await cpi.detachDisk(vm, disk);
    await cpi.deleteVm(vm);
    expect(await cpi.hasVm(vm)).toBe(false);
    expect(() => process.kill(webPid, 0)).toThrow();
    expect(await cpi.hasDisk(disk)).toBe(true);
    expect(existsSync(join(raw.diskDir(disk), 'keep'))).toBe(true);
    await cpi.deleteDisk(disk);
    expect(await cpi.hasDisk(disk)).toBe(false);
  }, 30_000);

  it('answers errors in the CPI envelope', async () => {
    expect(await raw.call('attach_disk', ['vm-nope', 'disk-nope'])).toEqual({
      result: null,
      error: { type: 'Bosh::Clouds::DiskNotFound', message: 'disk disk-nope not found', ok_to_retry: false },
      log: '',
    });
    await expect(cpi.rebootVm('vm-nope')).rejects.toThrow('CPI reboot_vm failed: Bosh::Clouds::VMNotFound: vm vm-nope not found');
    expect(await cpi.hasVm('vm-nope')).toBe(false);
  });
});
