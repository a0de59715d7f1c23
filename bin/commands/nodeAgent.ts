import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { LogSource } from '../../collectors/index.js';
import { createLogger, parseDurationMs } from '../../core/index.js';
import type { Command, CommandMap } from './command.js';

const help = `usage: vigil agent --server URL [--token TOKEN] [flags]

The node agent: host metrics named like node_exporter's (CPU, memory, swap, load, disks,
filesystems, network, processes, pressure stall information …), container metrics from cgroup v2
named like cAdvisor's, and log files (plain, multi-line, Kubernetes container logs), shipped to
Vigil (or any OTLP/HTTP receiver) as OTLP/HTTP JSON with gzip. While the server is unreachable,
batches wait in a bounded disk buffer and are retried with exponential backoff and jitter;
beyond the bound new batches are dropped and counted (vigil_agent_items_total{result="dropped"}).

flags:
  --server URL          the server's base URL, e.g. http://vigil-host:8470 (VIGIL_URL)
  --token TOKEN         API token with the ingest scope (VIGIL_TOKEN): \`vigil token create --scope ingest --tenant T --name N\`
  --token-file FILE     read the token from FILE instead (first line)
  --tenant ID           X-Scope-OrgID to send, when the token does not decide the tenant
  --interval DURATION   metrics interval: 15s (default), 500ms, 1m …
  --job NAME            job label of host and container metrics (default node)
  --hostname NAME       instance label of everything (default: this host's name)
  --data-dir DIR        disk buffer (buffer/) and log positions (positions.json) (default ./vigil-agent)
  --buffer-size SIZE    bound of the disk buffer: 256MiB (default), 1GiB, 100000 (bytes) …
  --log GLOB            follow files matching this absolute glob (* ? [..] **); repeatable
  --log-job NAME        job label of the --log files (default varlogs)
  --multiline REGEX     RE2 pattern of a record's first line for --log files; other lines join the record before
  --kubernetes-logs     follow /var/log/pods/*/*/*.log (CRI and Docker JSON lines), labelled
                        k8s_namespace_name, k8s_pod_name, k8s_container_name; job <namespace>/<container>
  --no-containers       no container metrics
  --proc-root DIR       /proc of the host (default /proc; e.g. /host/proc in a container)
  --sys-root DIR        /sys of the host (default /sys)
  --cgroup-root DIR     cgroup v2 mount (default /sys/fs/cgroup; its unified/ is found on hybrid hosts)
  --log-level LEVEL     fatal|error|warn|info|debug|trace|silent (VIGIL_LOG_LEVEL; default info)
  -h, --help            this text

environment:
  VIGIL_URL        the server URL when --server is not given
  VIGIL_TOKEN      the API token when neither --token nor --token-file is given
  VIGIL_LOG_LEVEL  log level when --log-level is not given
  (Node itself reads NODE_EXTRA_CA_CERTS=ca.pem: how to trust a server certificate from a private CA.)

The agent ships its own metrics (vigil_agent_*, process_*, nodejs_*) with the host's.
`;

const options = {
  server: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  tenant: { type: 'string' },
  interval: { type: 'string' },
  job: { type: 'string' },
  hostname: { type: 'string' },
  'data-dir': { type: 'string' },
  'buffer-size': { type: 'string' },
  log: { type: 'string', multiple: true },
  'log-job': { type: 'string' },
  multiline: { type: 'string' },
  'kubernetes-logs': { type: 'boolean' },
  'no-containers': { type: 'boolean' },
  'proc-root': { type: 'string' },
  'sys-root': { type: 'string' },
  'cgroup-root': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** "256MiB", "1GiB", "64KiB", "100000" → bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)(KiB|MiB|GiB)?$/.exec(text.trim());
  if (m === null) return undefined;
  return Number(m[1]) * (m[2] === undefined ? 1 : { KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[m[2] as 'KiB' | 'MiB' | 'GiB']);
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const on = (): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

const agent: Command = {
  summary: 'Run the node agent: host, container and log collection shipped over OTLP/HTTP: vigil agent --server URL [--token TOKEN]',
  async run(args) {
    const err = (t: string): number => {
      process.stderr.write(`vigil agent: ${t}\nSee \`vigil agent --help\`.\n`);
      return 2;
    };
    let values;
    try {
      ({ values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }));
    } catch (e) {
      return err((e as Error).message);
    }
    if (values.help === true) {
      process.stdout.write(help);
      return 0;
    }
    const server = values.server ?? process.env.VIGIL_URL;
    if (server === undefined || server === '') return err('--server URL (or VIGIL_URL) is required');
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      return err(`--server ${JSON.stringify(server)} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(`--server must be http:// or https://, not ${url.protocol}`);
    const { readFile } = await import('node:fs/promises');
    const token = values['token-file'] !== undefined ? (await readFile(values['token-file'], 'utf8')).split('\n')[0]?.trim() : (values.token ?? process.env.VIGIL_TOKEN);
    const intervalMs = parseDurationMs((values.interval ?? '15s').trim());
    if (intervalMs === undefined || intervalMs < 100) return err(`--interval ${JSON.stringify(values.interval)}: want a duration like 15s or 500ms (at least 100ms)`);
    const bufferBytes = parseSize(values['buffer-size'] ?? '256MiB');
    if (bufferBytes === undefined || bufferBytes < 64 * 1024) return err(`--buffer-size ${JSON.stringify(values['buffer-size'])}: want a size like 256MiB (at least 64KiB)`);
    const multiline = values.multiline;
    if (multiline !== undefined) {
      const { RE2JS } = await import('re2js');
      try {
        RE2JS.compile(multiline);
      } catch (e) {
        return err(`--multiline ${JSON.stringify(multiline)} is not a valid RE2 pattern: ${(e as Error).message}`);
      }
    }
    const globs = values.log ?? [];
    const relative = globs.find((g) => !g.startsWith('/'));
    if (relative !== undefined) return err(`--log ${JSON.stringify(relative)}: the glob must be an absolute path`);

    const logSources: LogSource[] = [];
    if (globs.length > 0) logSources.push({ include: globs, job: values['log-job'] ?? 'varlogs', format: 'plain', ...(multiline === undefined ? {} : { multiline: { firstLine: multiline } }) });
    if (values['kubernetes-logs'] === true) logSources.push({ include: ['/var/log/pods/*/*/*.log'], job: 'kubernetes-pods', format: 'kubernetes' });

    // Only the collectors: the agent must not load the server's store, bus or HTTP framework.
    const { createNodeAgent, createOtlpShipper, DiskBuffer } = await import('../../collectors/index.js');
    const logger = createLogger(values['log-level'] ?? process.env.VIGIL_LOG_LEVEL ?? 'info');
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const dataDir = values['data-dir'] ?? 'vigil-agent';
    const buffer = await DiskBuffer.open(join(dataDir, 'buffer'), bufferBytes);
    const shipper = createOtlpShipper({
      serverUrl: url.toString(),
      buffer,
      registry,
      logger: logger.child({ component: 'agent-shipper' }),
      ...(token === undefined || token === '' ? {} : { token }),
      ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
    });
    const procRoot = values['proc-root'] ?? '/proc';
    const sysRoot = values['sys-root'] ?? '/sys';
    const nodeAgent = createNodeAgent({
      exporter: shipper,
      registry,
      selfMetrics: registry,
      logger,
      intervalMs,
      job: values.job ?? 'node',
      hostname: values.hostname ?? os.hostname(),
      procRoot,
      sysRoot,
      ...(values['no-containers'] === true ? {} : { cgroupRoot: values['cgroup-root'] ?? join(sysRoot, 'fs/cgroup'), containerLogDir: '/var/log/containers' }),
      logSources,
      positionsFile: join(dataDir, 'positions.json'),
    });
    // The agent's timers do not hold the process (so that in-process use never delays an exit); this one does, until a signal.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    shipper.start();
    await nodeAgent.start();
    logger.info({ server: url.origin, intervalMs, buffered: buffer.length, logSources: logSources.length }, 'node agent started');
    await untilSignal();
    clearInterval(keepAlive);
    await nodeAgent.shutdown();
    // A last chance to deliver what is buffered; what is left stays on disk for the next start.
    await shipper.forceFlush(2000);
    await shipper.shutdown();
    return 0;
  },
};

export const nodeAgentCommands: CommandMap = { agent };
