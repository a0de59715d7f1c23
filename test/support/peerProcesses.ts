import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './vigilProcess.js';

/**
 * Real Prometheus-ecosystem peers from Debian, started on loopback with their own temp
 * directories and ended by their PID (never by name, so a user's own Prometheus is untouched).
 */
export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const VICTORIA_METRICS = '/usr/bin/victoria-metrics';
export const peersInstalled = (...binaries: string[]): boolean => binaries.every((b) => existsSync(b));

export interface Peer {
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGTERM to this process (and only it), wait for its exit, remove its directory. Idempotent. */
  stop(): Promise<void>;
}

async function waitHttp(url: string, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startPeer(what: string, binary: string, args: (port: number, dir: string) => string[], readyPath: string, dir?: string): Promise<Peer> {
  const port = await freePort();
  const workDir = dir ?? mkdtempSync(join(tmpdir(), 'vigil-peer-'));
  const child = spawn(binary, args(port, workDir), { stdio: 'ignore' });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitHttp(`${url}${readyPath}`, child, what);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, child, stop };
}

/** node_exporter with the given collectors only (all defaults when none are named). */
export async function startNodeExporter(collectors: readonly string[] = []): Promise<Peer> {
  const filter = collectors.length === 0 ? [] : ['--collector.disable-defaults', ...collectors.map((c) => `--collector.${c}`)];
  return startPeer('node_exporter', NODE_EXPORTER, (port) => [`--web.listen-address=127.0.0.1:${port}`, ...filter], '/metrics');
}

/** Prometheus with `config` (YAML text) as its configuration, its TSDB in a temp directory. */
export async function startPrometheusWith(config: string): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  return startPeer(
    'prometheus',
    PROMETHEUS_BIN,
    (port) => [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    '/-/ready',
    dir,
  );
}

/** VictoriaMetrics single-node, its data in a temp directory (it takes remote write at /api/v1/write). */
export async function startVictoriaMetrics(extraArgs: readonly string[] = []): Promise<Peer> {
  return startPeer(
    'victoria-metrics',
    VICTORIA_METRICS,
    (port, dir) => [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dir, 'data')}`, '-loggerLevel=ERROR', ...extraArgs],
    '/health',
  );
}
