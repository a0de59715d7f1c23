import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { freePort } from './vigilProcess.js';

export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
export const alertmanagerInstalled = existsSync(ALERTMANAGER);

export interface AlertmanagerServer {
  /** http://127.0.0.1:port */
  readonly base: string;
  stop(): void;
}

/** A real Alertmanager (Debian's) on loopback, clustering off, with its own temporary storage. */
export async function startAlertmanager(configYaml = 'route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n'): Promise<AlertmanagerServer> {
  const dir = mkdtempSync(join(os.tmpdir(), 'vigil-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), configYaml);
  const port = await freePort();
  const child = spawn(
    ALERTMANAGER,
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=error'],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = (): void => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) {
      stop();
      throw new Error(`alertmanager exited with ${child.exitCode}`);
    }
    try {
      if ((await fetch(`${base}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 200) {
      stop();
      throw new Error('alertmanager did not become ready');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, stop };
}
