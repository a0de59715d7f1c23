/*
 * Prometheus 2.42 over the bench's OpenMetrics file: promtool backfills TSDB blocks, then a real
 * Prometheus serves them on a free port (as test/query/prometheusServer.ts does for small data).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/index.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';

/**
 * 18 h blocks (promtool's largest that 24 h of data asks for). Prometheus is started with the same
 * largest block duration below, so its compactor finds nothing to merge and stays idle while the
 * bench times queries.
 */
const BLOCK_DURATION = '18h';

export async function createBlocks(openMetricsPath: string, tsdbDir: string): Promise<void> {
  const child = spawn(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${BLOCK_DURATION}`, openMetricsPath, tsdbDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`promtool exited with ${code}: ${err}`);
}

export interface PrometheusProcess {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startPrometheus(dir: string, tsdbDir: string): Promise<PrometheusProcess> {
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global: {}\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${tsdbDir}`,
      '--storage.tsdb.retention.time=100y',
      '--storage.tsdb.min-block-duration=2h',
      `--storage.tsdb.max-block-duration=${BLOCK_DURATION}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 1200) throw new Error('prometheus did not become ready within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
