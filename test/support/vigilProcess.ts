import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** Repository root, for spawning the built CLI. */
export const repoRoot = resolve(import.meta.dirname, '..', '..');
const cli = resolve(repoRoot, 'dist', 'bin', 'vigil.js');

/** A free TCP port on 127.0.0.1 (bound once and released). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface VigilProcess {
  readonly url: string;
  readonly proc: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would. */
  kill9(): Promise<void>;
}

/**
 * Runs the built `vigil start` as a child process, as a user would, and waits until
 * GET /-/ready answers 200. Rejects with the process output if it does not get ready in time.
 */
export async function startVigil(opts: { dataDir: string; port?: number; args?: string[]; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number }): Promise<VigilProcess & { readyAfterMs: number }> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does)`);
  const port = opts.port ?? (await freePort());
  const t0 = Date.now();
  // NODE_ARGS_FOR_VIGIL passes flags to the child's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a benchmark run.
  const nodeArgs = (process.env.NODE_ARGS_FOR_VIGIL ?? '').split(' ').filter((a) => a.length > 0);
  const proc = spawn(process.execPath, [...nodeArgs, cli, 'start', '--data-dir', opts.dataDir, '--http-port', String(port), '--http-host', '127.0.0.1', ...(opts.args ?? [])], {
    env: { ...process.env, VIGIL_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = t0 + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vigil exited with ${proc.exitCode} before it was ready:\n${out}`);
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`vigil was not ready within ${opts.readyTimeoutMs ?? 20_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const readyAfterMs = Date.now() - t0;
  return {
    url,
    proc,
    readyAfterMs,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
    kill9: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
