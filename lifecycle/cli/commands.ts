import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { c as createTar } from 'tar';
import type { InstanceView, Problem, ReleaseSummary, TaskRecord } from '../director/index.js';
import { createRelease } from '../release/index.js';
import { DirectorClient } from './client.js';
import { followTask } from './follow.js';
import type { Io } from './follow.js';
import { table } from './format.js';

/** A lifecycle CLI command: arguments after its name in, exit code out. */
export type CliRun = (args: readonly string[], io: Io) => Promise<number>;

class UsageError extends Error {}

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function opts(args: readonly string[], options: Options): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const r = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, unknown>, positionals: r.positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function needDeployment(v: Record<string, unknown>): string {
  const d = v['deployment'];
  if (typeof d !== 'string' || d.length === 0) throw new UsageError('-d NAME (the deployment) is required');
  return d;
}

/** Runs a command body, turning usage and API errors into a message and exit code. */
function cmd(usage: string, body: (args: readonly string[], io: Io, client: DirectorClient) => Promise<number>): CliRun {
  return async (args, io) => {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(`usage: ${usage}\n`);
      return 0;
    }
    try {
      return await body(args, io, new DirectorClient());
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`${err.message}\nusage: ${usage}\n`);
        return 2;
      }
      io.err(`${(err as Error).message}\n`);
      return 1;
    }
  };
}

const d = { deployment: { type: 'string', short: 'd' } } as const;

const deploy = cmd('vigil deploy -d NAME MANIFEST.yml [--dry-run] [--no-follow]', async (args, io, client) => {
  const { values, positionals } = opts(args, { ...d, 'dry-run': { type: 'boolean' }, 'no-follow': { type: 'boolean' } });
  const name = needDeployment(values);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('the manifest file is required');
  if (!existsSync(file)) throw new UsageError(`manifest ${file} does not exist`);
  const { task_id } = await client.request<{ task_id: number }>('POST', '/deployments', { manifest: readFileSync(file, 'utf8'), dry_run: values['dry-run'] === true, deployment: name });
  if (values['no-follow'] === true) {
    io.out(`Task ${task_id}\n`);
    return 0;
  }
  return followTask(client, task_id, io);
});

const deployments = cmd('vigil deployments [--json]', async (args, io, client) => {
  const { values } = opts(args, { json: { type: 'boolean' } });
  const list = await client.request<{ name: string; releases: string[]; instances: number }[]>('GET', '/deployments');
  if (values['json'] === true) io.out(`${JSON.stringify(list, null, 2)}\n`);
  else io.out(table(['Name', 'Release(s)', 'Instances'], list.map((x) => [x.name, x.releases.join(', '), String(x.instances)])));
  return 0;
});

const instances = cmd('vigil instances -d NAME [--json] [--ps]', async (args, io, client) => {
  const { values } = opts(args, { ...d, json: { type: 'boolean' }, ps: { type: 'boolean' } });
  const list = await client.request<InstanceView[]>('GET', `/deployments/${encodeURIComponent(needDeployment(values))}/instances`);
  if (values['json'] === true) {
    io.out(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const rows: string[][] = [];
  for (const i of list) {
    rows.push([`${i.instance}`, i.process_state, i.az, i.ips.join(','), i.vm_cid ?? '-', i.disk_cid ?? '-']);
    if (values['ps'] === true) for (const p of i.processes) rows.push([`  ${p.job}/${p.name}`, p.state, '', '', p.pid === null ? '' : `pid ${p.pid}`, `restarts ${p.restarts}`]);
  }
  io.out(table(['Instance', 'Process State', 'AZ', 'IPs', 'VM CID', 'Disk CID'], rows));
  return 0;
});

function taskRows(list: readonly TaskRecord[]): string[][] {
  return list.map((t) => [String(t.id), t.state, new Date(t.createdAt).toISOString().replace('T', ' ').slice(0, 19), t.deployment ?? '-', t.description, t.error ?? '']);
}

const tasks = cmd('vigil tasks [--recent[=N]] [-d NAME] [--json]', async (args, io, client) => {
  const recentArg = args.find((a) => a === '--recent' || a.startsWith('--recent='));
  const rest = args.filter((a) => a !== recentArg);
  const { values } = opts(rest, { ...d, json: { type: 'boolean' } });
  const q = new URLSearchParams();
  if (recentArg !== undefined) q.set('recent', recentArg.includes('=') ? (recentArg.split('=')[1] ?? '30') : '30');
  if (typeof values['deployment'] === 'string') q.set('deployment', values['deployment']);
  const list = await client.request<TaskRecord[]>('GET', `/tasks?${q.toString()}`);
  if (values['json'] === true) io.out(`${JSON.stringify(list, null, 2)}\n`);
  else io.out(table(['ID', 'State', 'Created', 'Deployment', 'Description', 'Result'], taskRows(list)));
  return 0;
});

const task = cmd('vigil task ID [--json]', async (args, io, client) => {
  const { values, positionals } = opts(args, { json: { type: 'boolean' } });
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError('a task ID is required');
  if (values['json'] === true) {
    io.out(`${JSON.stringify({ task: await client.request('GET', `/tasks/${id}`), events: await client.request('GET', `/tasks/${id}/events`) }, null, 2)}\n`);
    return 0;
  }
  return followTask(client, id, io);
});

function instanceCommand(action: 'recreate' | 'restart' | 'stop' | 'start', name: string): CliRun {
  return cmd(`vigil ${name} -d NAME [GROUP[/INDEX]] [--reason TEXT] [--no-follow]`, async (args, io, client) => {
    const { values, positionals } = opts(args, { ...d, reason: { type: 'string' }, 'no-follow': { type: 'boolean' } });
    const dep = needDeployment(values);
    const body = { action, ...(positionals[0] !== undefined ? { target: positionals[0] } : {}), ...(typeof values['reason'] === 'string' ? { reason: values['reason'] } : {}) };
    const { task_id } = await client.request<{ task_id: number }>('POST', `/deployments/${encodeURIComponent(dep)}/instances/actions`, body);
    if (values['no-follow'] === true) {
      io.out(`Task ${task_id}\n`);
      return 0;
    }
    return followTask(client, task_id, io);
  });
}

const deleteDeployment = cmd('vigil delete-deployment -d NAME', async (args, io, client) => {
  const { values } = opts(args, d);
  const { task_id } = await client.request<{ task_id: number }>('DELETE', `/deployments/${encodeURIComponent(needDeployment(values))}`);
  return followTask(client, task_id, io);
});

async function tarballOf(path: string): Promise<Buffer> {
  if (!statSync(path).isDirectory()) return readFileSync(path);
  const chunks: Buffer[] = [];
  const stream = createTar({ gzip: true, cwd: path, portable: true }, ['.']);
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

const uploadRelease = cmd('vigil upload-release PATH (a release directory or tarball)', async (args, io, client) => {
  const { positionals } = opts(args, {});
  const path = positionals[0];
  if (path === undefined) throw new UsageError('PATH is required');
  if (!existsSync(path)) throw new UsageError(`${path} does not exist`);
  const r = await client.request<ReleaseSummary>('POST', '/releases', await tarballOf(path), 'application/gzip');
  io.out(`Uploaded release ${r.name}/${r.version} (jobs: ${r.jobs.join(', ')}; packages: ${r.packages.join(', ') || 'none'})\n`);
  return 0;
});

const createReleaseCmd = cmd('vigil create-release DIR (writes the checksum of every job and package into DIR/release.yml)', async (args, io) => {
  const { positionals } = opts(args, {});
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('DIR is required');
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`);
  const r = createRelease(dir);
  io.out(`Wrote checksums of ${r.jobs.length} job(s) and ${r.packages.length} package(s) to ${dir}/release.yml (release ${r.name}/${r.version})\n`);
  return 0;
});

interface AuditView {
  id: number;
  at: string;
  actor: { id: string; name: string };
  action: string;
  target: string;
  result: string;
  task_id: number | null;
  task_state: string | null;
  error: string | null;
}

const audit = cmd('vigil audit [--limit N] [--before ID] [--json]', async (args, io, client) => {
  const { values } = opts(args, { limit: { type: 'string' }, before: { type: 'string' }, json: { type: 'boolean' } });
  const q = new URLSearchParams();
  if (typeof values['limit'] === 'string') q.set('limit', values['limit']);
  if (typeof values['before'] === 'string') q.set('before', values['before']);
  const page = await client.request<{ entries: AuditView[]; next_before: number | null }>('GET', `/audit?${q.toString()}`);
  if (values['json'] === true) {
    io.out(`${JSON.stringify(page, null, 2)}\n`);
    return 0;
  }
  const result = (e: AuditView): string => (e.result === 'refused' ? `refused: ${e.error ?? ''}` : e.task_id !== null ? `task ${e.task_id} ${e.task_state ?? ''}`.trim() : 'accepted');
  io.out(table(['ID', 'When', 'Who', 'Action', 'Target', 'Result'], page.entries.map((e) => [String(e.id), e.at.replace('T', ' ').slice(0, 19), e.actor.name, e.action, e.target, result(e)])));
  if (page.next_before !== null) io.out(`More: vigil audit --before ${page.next_before}\n`);
  return 0;
});

const releases = cmd('vigil releases [--json]', async (args, io, client) => {
  const { values } = opts(args, { json: { type: 'boolean' } });
  const list = await client.request<ReleaseSummary[]>('GET', '/releases');
  if (values['json'] === true) io.out(`${JSON.stringify(list, null, 2)}\n`);
  else io.out(table(['Name', 'Version', 'Jobs', 'In use by'], list.map((r) => [r.name, r.version, r.jobs.join(', '), r.inUseBy.join(', ')])));
  return 0;
});

const cck = cmd('vigil cck -d NAME [--auto] [--resolution PROBLEM_OR_TYPE=RESOLUTION]... [--json]', async (args, io, client) => {
  const { values } = opts(args, { ...d, auto: { type: 'boolean' }, resolution: { type: 'string', multiple: true }, json: { type: 'boolean' } });
  const dep = needDeployment(values);
  const chosen = (values['resolution'] as string[] | undefined) ?? [];
  if (values['auto'] !== true && chosen.length === 0) {
    const problems = await client.request<Problem[]>('GET', `/deployments/${encodeURIComponent(dep)}/problems`);
    if (values['json'] === true) io.out(`${JSON.stringify(problems, null, 2)}\n`);
    else if (problems.length === 0) io.out('No problems found\n');
    else {
      io.out(table(['Problem', 'Description', 'Resolutions (first is default)'], problems.map((p) => [p.id, p.description, p.resolutions.join(', ')])));
      io.out(`\nResolve with: vigil cck -d ${dep} --auto   or   --resolution ${problems[0]?.id ?? 'TYPE:INSTANCE'}=${problems[0]?.resolutions[0] ?? 'RESOLUTION'}\n`);
    }
    return problems.length === 0 ? 0 : 1;
  }
  const resolutions: Record<string, string> = {};
  for (const c of chosen) {
    const eq = c.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--resolution ${c}: expected PROBLEM=RESOLUTION`);
    resolutions[c.slice(0, eq)] = c.slice(eq + 1);
  }
  const { task_id } = await client.request<{ task_id: number }>('POST', `/deployments/${encodeURIComponent(dep)}/problems/resolve`, { resolutions, auto: values['auto'] === true });
  return followTask(client, task_id, io);
});

/** Every client-side lifecycle command, by name, with a one-line summary. */
export const lifecycleCli: Readonly<Record<string, { summary: string; run: CliRun }>> = {
  deploy: { summary: 'Deploy a manifest: vigil deploy -d NAME manifest.yml [--dry-run]', run: deploy },
  deployments: { summary: 'List deployments', run: deployments },
  instances: { summary: 'List instances of a deployment: vigil instances -d NAME [--json]', run: instances },
  tasks: { summary: 'List running tasks, or recent ones with --recent', run: tasks },
  task: { summary: 'Show (and follow) a task: vigil task ID', run: task },
  recreate: { summary: 'Recreate instances: vigil recreate -d NAME [GROUP[/INDEX]]', run: instanceCommand('recreate', 'recreate') },
  restart: { summary: 'Restart jobs of instances: vigil restart -d NAME [GROUP[/INDEX]]', run: instanceCommand('restart', 'restart') },
  stop: { summary: 'Stop jobs of instances (VMs stay): vigil stop -d NAME [GROUP[/INDEX]]', run: instanceCommand('stop', 'stop') },
  'start-instances': { summary: "Start stopped instances (bosh's start): vigil start-instances -d NAME [GROUP[/INDEX]]", run: instanceCommand('start', 'start-instances') },
  'delete-deployment': { summary: 'Delete a deployment with its VMs and disks', run: deleteDeployment },
  'upload-release': { summary: 'Upload a release directory or tarball', run: uploadRelease },
  'create-release': { summary: 'Write the checksums of a release directory into its release.yml: vigil create-release DIR', run: createReleaseCmd },
  releases: { summary: 'List uploaded releases', run: releases },
  audit: { summary: 'Show the audit log of lifecycle actions: vigil audit [--limit N] [--before ID]', run: audit },
  cck: { summary: 'Cloud check: find drift (missing VM, unresponsive agent, missing disk) and resolve it', run: cck },
};
