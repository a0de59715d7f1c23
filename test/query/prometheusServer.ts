import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { TimeSeries } from '../../core/index.js';
import { formatSampleValue } from '../../query/index.js';
import { freePort } from '../support/index.js';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';
export const prometheusInstalled = existsSync(PROMETHEUS) && existsSync(PROMTOOL);

export interface PrometheusServer {
  /** http://127.0.0.1:port */
  readonly base: string;
  stop(): void;
}

/** What else the Prometheus gets: its configuration file and files it names (rule files), by name. */
export interface PrometheusOptions {
  /** prometheus.yml; default `global: {}`. */
  readonly config?: string;
  /** Files written next to prometheus.yml, e.g. { 'rules.yml': '…' }. */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * A real Prometheus over the given series: promtool writes them into TSDB blocks (any times,
 * 1970 included, since blocks are not bound by the head's window) and Prometheus serves them.
 * `config` is its prometheus.yml (default: an empty global section).
 */
export async function startPrometheus(series: readonly TimeSeries[], opts: PrometheusOptions = {}): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(os.tmpdir(), 'vigil-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), opts.config ?? 'global: {}\n');
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), text);
  if (series.length > 0) {
    writeFileSync(join(dir, 'data.om'), openMetrics(series));
    const made = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', join(dir, 'data.om'), join(dir, 'tsdb')], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`promtool failed: ${made.stderr}`);
  }
  const port = await freePort();
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = (): void => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(`${base}/-/ready`, child);
  } catch (e) {
    stop();
    throw e;
  }
  return { base, stop };
}

/** OpenMetrics text, one family after another; a staleness marker cannot be written in it (it would be a plain NaN). */
function openMetrics(data: readonly TimeSeries[]): string {
  const lines: string[] = [];
  const byName = [...data].sort((a, b) => ((a.labels.__name__ ?? '') < (b.labels.__name__ ?? '') ? -1 : 1));
  for (const s of byName) {
    const { __name__: name, ...rest } = s.labels;
    const labels = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
    for (const p of s.samples) lines.push(`${name ?? ''}{${labels}} ${formatSampleValue(p.v)} ${p.t / 1000}`);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('prometheus did not become ready');
}
