import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { createLogger } from '../../core/index.js';
import { Director, DummyCpi, loadReleaseDir } from '../../lifecycle/index.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const etcdReleaseDir = join(repoRoot, 'examples', 'etcd', 'release');
export const quiet = createLogger('silent');

export function tmp(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A manifest for the etcd example release, with fast watch times for the dummy CPI. */
export function etcdManifest(over: { name?: string; instances?: number; props?: Record<string, unknown>; update?: Record<string, unknown>; vmType?: string; disk?: number } = {}): string {
  return stringify({
    name: over.name ?? 'etcd',
    releases: [{ name: 'etcd', version: 'latest' }],
    update: { canaries: 1, max_in_flight: 1, canary_watch_time: '0-2000', update_watch_time: '0-2000', serial: true, ...over.update },
    instance_groups: [
      {
        name: 'etcd',
        instances: over.instances ?? 3,
        azs: ['z1', 'z2'],
        vm_type: over.vmType ?? 'small',
        persistent_disk: over.disk ?? 1024,
        networks: [{ name: 'default' }],
        jobs: [{ name: 'etcd', release: 'etcd', properties: { etcd: { client_port: 2379, ...over.props } } }],
      },
    ],
  });
}

export interface DummyRig {
  readonly director: Director;
  readonly cpi: DummyCpi;
  readonly dir: string;
  /** A second director on the same data directory and cloud, as after a restart. */
  restart(): Director;
  close(): Promise<void>;
}

export function dummyDirector(opts: { dir?: string; network?: string; resurrection?: boolean; meltdown?: number | string; heartbeatTimeoutMs?: number } = {}): DummyRig {
  const t = opts.dir === undefined ? tmp('director') : { dir: opts.dir, cleanup: () => undefined };
  const cpi = new DummyCpi();
  const make = (): Director =>
    new Director({
      dataDir: t.dir,
      cpi,
      agents: cpi,
      logger: quiet,
      network: opts.network ?? '127.73.1.0/24',
      resurrection: opts.resurrection ?? false,
      meltdown: opts.meltdown ?? '50%',
      heartbeatTimeoutMs: opts.heartbeatTimeoutMs ?? 2000,
      healthIntervalMs: 3_600_000, // tests drive rounds with checkHealth()
      agentTimeoutMs: 2000,
    });
  const directors: Director[] = [make()];
  const director = directors[0] as Director;
  cpi.startHeartbeats((id, st) => directors[directors.length - 1]?.heartbeat(id, st), 50);
  director.start();
  director.uploadRelease(loadReleaseDir(etcdReleaseDir));
  return {
    director,
    cpi,
    dir: t.dir,
    restart() {
      const d = make();
      directors.push(d);
      d.start();
      return d;
    },
    async close() {
      cpi.stopHeartbeats();
      for (const d of directors) await d.shutdown();
      t.cleanup();
    },
  };
}

/** Deploys and waits; returns the finished task. */
export async function deployAndWait(d: Director, manifest: string, dryRun = false): ReturnType<Director['waitTask']> {
  return d.waitTask(d.deploy(manifest, { dryRun }), 30_000);
}

/** The "Updating instance" events of a task as "name state" strings, in log order. */
export function updateOrder(d: Director, taskId: number, stage = 'Updating instance'): string[] {
  return d
    .taskEvents(taskId)
    .filter((e) => e.stage === stage && (e.state === 'started' || e.state === 'finished' || e.state === 'failed'))
    .map((e) => `${e.task} ${e.state}`);
}
