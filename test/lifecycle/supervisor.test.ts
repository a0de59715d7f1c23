import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SupervisedProcess } from '../../lifecycle/agent/index.js';
import { tmp } from './support.js';

const work = tmp('supervisor');
afterAll(() => work.cleanup());

function proc(name: string, script: string | null, stopGraceMs = 5000): SupervisedProcess {
  const exe = join(work.dir, name);
  if (script !== null) writeFileSync(exe, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return new SupervisedProcess({ job: 'j', name, executable: exe, args: [], cwd: work.dir, env: process.env, stdoutFile: join(work.dir, `${name}.out`), stderrFile: join(work.dir, `${name}.err`), stopGraceMs });
}

async function until(fn: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('supervised job process', () => {
  it('keeps a healthy process running and reports its pid and uptime', async () => {
    const p = proc('sleeper', 'exec sleep 30');
    p.start();
    p.start(); // idempotent
    await until(() => p.status().uptime_ms > 100);
    expect(p.status()).toMatchObject({ state: 'running', restarts: 0 });
    expect(p.status().pid).toBeGreaterThan(0);
    await p.stop();
    expect(p.status()).toMatchObject({ state: 'stopped', pid: null });
  });

  it('restarts a crashing process with growing backoff (250 ms, 500 ms, 1 s, ...)', async () => {
    const p = proc('crasher', 'exit 1');
    const t0 = Date.now();
    p.start();
    await until(() => p.status().restarts >= 3);
    // Three restarts wait at least 250 + 500 ms before the third spawn.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    await p.stop();
    const after = p.status().restarts;
    await new Promise((r) => setTimeout(r, 1200));
    expect(p.status().restarts).toBe(after);
  });

  it('counts an executable that cannot be started as a crash, and can still be stopped', async () => {
    const p = proc('missing', null);
    p.start();
    await until(() => p.status().restarts >= 2);
    expect(p.status().state).not.toBe('stopped');
    await p.stop();
    expect(p.status().state).toBe('stopped');
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const p = proc('stubborn', "trap '' TERM\nwhile true; do sleep 0.1; done", 300);
    p.start();
    await until(() => p.status().uptime_ms > 200);
    const t0 = Date.now();
    await p.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(p.status().state).toBe('stopped');
    await p.stop();
  });
});
