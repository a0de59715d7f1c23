import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { ProcessState, ProcessStatus } from './protocol.js';

export interface SupervisedProcessOptions {
  readonly job: string;
  readonly name: string;
  readonly executable: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdoutFile: string;
  readonly stderrFile: string;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  readonly stopGraceMs?: number;
}

const minBackoffMs = 250;
const maxBackoffMs = 10_000;
/** A process that ran this long is considered stable again and its backoff resets. */
const stableMs = 10_000;

/**
 * Keeps one job process running, monit-style: starts it, restarts it when it exits with exponential
 * backoff, counts restarts, stops it with SIGTERM then SIGKILL. The child stays in the agent's process
 * group, so killing the VM kills it too.
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private wanted = false;
  private restarts = 0;
  private backoffMs = minBackoffMs;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private exitWaiters: (() => void)[] = [];

  constructor(private readonly opts: SupervisedProcessOptions) {}

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.spawnOnce();
  }

  private spawnOnce(): void {
    this.timer = null;
    if (!this.wanted) return;
    const out = openSync(this.opts.stdoutFile, 'a');
    const err = openSync(this.opts.stderrFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.opts.executable, [...this.opts.args], { cwd: this.opts.cwd, env: this.opts.env, stdio: ['ignore', out, err] });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    this.child = child;
    this.startedAt = Date.now();
    let gone = false;
    const onGone = (): void => {
      if (gone) return;
      gone = true;
      this.child = null;
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      waiters.forEach((w) => w());
      if (!this.wanted) return;
      this.restarts++;
      if (Date.now() - this.startedAt >= stableMs) this.backoffMs = minBackoffMs;
      const wait = this.backoffMs;
      this.backoffMs = Math.min(maxBackoffMs, this.backoffMs * 2);
      this.timer = setTimeout(() => this.spawnOnce(), wait);
      this.timer.unref();
    };
    // A process that could not be started (missing or non-executable file) may emit 'error' without
    // 'exit'; either way it is gone, and counts as a crash.
    child.on('error', () => {
      if (child.pid === undefined || child.exitCode !== null) onGone();
    });
    child.on('exit', onGone);
  }

  /** Stops the process and keeps it stopped. Idempotent; resolves once it has exited. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.exitWaiters.push(r));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), this.opts.stopGraceMs ?? 5000);
    kill.unref();
    await exited;
    clearTimeout(kill);
  }

  status(): ProcessStatus {
    const running = this.child !== null && this.child.exitCode === null;
    const state: ProcessState = !this.wanted ? 'stopped' : running ? 'running' : 'failing';
    return {
      job: this.opts.job,
      name: this.opts.name,
      state,
      restarts: this.restarts,
      uptime_ms: running ? Date.now() - this.startedAt : 0,
      pid: running ? (this.child?.pid ?? null) : null,
    };
  }
}
