import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, tmp } from './support.js';
import { freePort } from '../support/index.js';

export const run = promisify(execFile);
const tsxDir = join(repoRoot, 'node_modules', 'tsx', 'dist');
/** `vigil` from source, with absolute loader paths so agents started in VM directories find them too. */
export const vigilCommand = [process.execPath, '--require', join(tsxDir, 'preflight.cjs'), '--import', `file://${join(tsxDir, 'loader.mjs')}`, join(repoRoot, 'bin', 'vigil.ts')];

export function onPath(bin: string, path = process.env['PATH'] ?? ''): boolean {
  return path.split(':').some((d) => d.length > 0 && existsSync(join(d, bin)));
}


/**
 * A real `vigil director` (process CPI) in its own process group, on a fixed port so that agents keep
 * heartbeating to it across restarts, plus the CLI pointed at it. `kill()` removes every VM process
 * group and the director.
 */
export class ProcessDirector {
  private readonly work = tmp('e2e');
  child: ChildProcess | null = null;
  url = '';
  private port = 0;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  get dataDir(): string {
    return join(this.work.dir, 'data');
  }

  get workDir(): string {
    return this.work.dir;
  }

  vmDir(cid: string): string {
    return join(this.dataDir, 'director', 'cpi', 'vms', cid);
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const child = spawn(vigilCommand[0] as string, [...vigilCommand.slice(1), 'director', '--http-port', String(this.port), '--http-host', '127.0.0.1', '--data-dir', this.dataDir], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VIGIL_LOG_LEVEL: 'info', ...this.env },
    });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const t = setTimeout(() => reject(new Error(`director did not start: ${buf}`)), 30_000);
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        const m = /"url":"(http:\/\/[^"]+)".*"msg":"vigil started"/.exec(buf);
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

  /** kill -9 of the director only (its VMs live on). */
  async crash(): Promise<void> {
    const old = this.child;
    if (old?.pid === undefined) return;
    const exited = new Promise((r) => old.once('exit', r));
    process.kill(-old.pid, 'SIGKILL');
    await exited;
  }

  async vigil(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    try {
      const r = await run(vigilCommand[0] as string, [...vigilCommand.slice(1), ...args], { cwd: repoRoot, env: { ...process.env, VIGIL_URL: this.url }, maxBuffer: 16 << 20 });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, out: e.stdout ?? '', err: e.stderr ?? '' };
    }
  }

  async api<T>(path: string): Promise<T> {
    return (await (await fetch(`${this.url}/api/v1/director${path}`)).json()) as T;
  }

  /** Recent tasks with their events and the deployment's health events, for failure messages. */
  async diagnose(deployment: string): Promise<string> {
    try {
      const tasks = await this.api<{ id: number }[]>('/tasks?recent=3');
      const logs = await Promise.all(tasks.map(async (t) => ({ task: t, events: await this.api(`/tasks/${t.id}/events`) })));
      return JSON.stringify({ logs, health: await this.api(`/deployments/${deployment}/health-events`) }, null, 1);
    } catch (err) {
      return `(no diagnosis: ${(err as Error).message})`;
    }
  }

  /** Kills every VM process group the process CPI started, then the director; removes the work dir. */
  kill(): void {
    const vms = join(this.dataDir, 'director', 'cpi', 'vms');
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
    if (this.child?.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // LIFECYCLE_E2E_KEEP=1 keeps VM directories, agent and job logs for a post-mortem.
    if (process.env['LIFECYCLE_E2E_KEEP'] === undefined) this.work.cleanup();
    else console.log(`e2e work directory kept: ${this.work.dir}`);
  }
}
