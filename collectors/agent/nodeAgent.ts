import os from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { collectContainers } from '../containers/index.js';
import type { HostCollector, MetricSource } from '../host/index.js';
import { createHostCollector } from '../host/index.js';
import type { LogSource, LogTailer } from '../logs/index.js';
import { createLogTailer } from '../logs/index.js';
import { logsToOtlpJson, metricsToOtlpJson } from './otlpJson.js';
import type { AgentExporter } from './otlpShipper.js';
import { registrySeries } from './registrySeries.js';

export interface NodeAgentOptions {
  /** Where batches go: an OTLP shipper (remote) or the ingest pipeline (in-process). */
  readonly exporter: AgentExporter;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Metrics interval (default 15 s). */
  readonly intervalMs?: number;
  /** `job` of host and container metrics (default "node"). */
  readonly job?: string;
  /** `instance` of everything (default os.hostname()). */
  readonly hostname?: string;
  readonly procRoot?: string;
  readonly sysRoot?: string;
  /** Container metrics from this cgroup v2 root; undefined: none. */
  readonly cgroupRoot?: string;
  /** The kubelet's /var/log/containers, to name containers in their metrics. */
  readonly containerLogDir?: string;
  /** Files to tail; none when empty. */
  readonly logSources?: readonly LogSource[];
  readonly positionsFile?: string;
  readonly logPollIntervalMs?: number;
  /** A registry whose metrics are shipped with each collection (the agent's own); undefined: none. */
  readonly selfMetrics?: Registry;
}

/**
 * The node agent: host metrics (node_exporter names), container metrics (cAdvisor names) and the
 * agent's own, every intervalMs; log files followed every logPollIntervalMs; all handed to one
 * exporter as OTLP requests. start() begins both loops; shutdown() is idempotent and waits for
 * work in flight (the exporter is the caller's to shut down after).
 */
export interface NodeAgent {
  start(): Promise<void>;
  /** One metrics collection now; true when the exporter took it. Never rejects. */
  collectOnce(): Promise<boolean>;
  /** One look at the log files now. Never rejects. */
  pollLogsOnce(): Promise<void>;
  shutdown(): Promise<void>;
}

export function createNodeAgent(opts: NodeAgentOptions): NodeAgent {
  const hostname = opts.hostname ?? os.hostname();
  const job = opts.job ?? 'node';
  const extraSources: MetricSource[] = [];
  const cgroupRoot = opts.cgroupRoot;
  if (cgroupRoot !== undefined) {
    // A host without cgroup v2 (or a container without it mounted) is told once, not every interval.
    let noCgroupV2Told = false;
    extraSources.push(async (nowMs) => {
      const c = await collectContainers({ cgroupRoot, procRoot: opts.procRoot ?? '/proc', hostname, job, nowMs, ...(opts.containerLogDir === undefined ? {} : { containerLogDir: opts.containerLogDir }) });
      if (c.failures.some((f) => f.source === 'cgroup')) {
        if (noCgroupV2Told) return { ...c, failures: [] };
        noCgroupV2Told = true;
      }
      return c;
    });
  }
  const selfRegistry = opts.selfMetrics;
  if (selfRegistry !== undefined) {
    extraSources.push(async (nowMs) => ({ ...(await registrySeries(selfRegistry, job, hostname, nowMs)), failures: [] }));
  }
  // A source never spoils the collection: its failure is reported like an unreadable /proc file.
  const guarded: MetricSource[] = extraSources.map((source, i) => async (nowMs) => {
    try {
      return await source(nowMs);
    } catch (err) {
      return { series: [], metadata: [], failures: [{ source: `extra-${i}`, error: err instanceof Error ? err.message : String(err) }] };
    }
  });

  const metrics: HostCollector = createHostCollector({
    sink: async (req) => {
      const samples = req.series.reduce((n, s) => n + s.samples.length, 0);
      return opts.exporter.export('metrics', metricsToOtlpJson(req.series, req.metadata), samples);
    },
    registry: opts.registry,
    logger: opts.logger.child({ component: 'agent-metrics' }),
    intervalMs: opts.intervalMs ?? 15_000,
    hostname,
    job,
    extraSources: guarded,
    ...(opts.procRoot === undefined ? {} : { procRoot: opts.procRoot }),
    ...(opts.sysRoot === undefined ? {} : { sysRoot: opts.sysRoot }),
  });

  let tailer: LogTailer | undefined;
  if ((opts.logSources ?? []).length > 0) {
    if (opts.positionsFile === undefined) throw new Error('tailing logs needs a positions file');
    tailer = createLogTailer({
      sources: opts.logSources ?? [],
      positionsFile: opts.positionsFile,
      hostname,
      registry: opts.registry,
      logger: opts.logger.child({ component: 'agent-logs' }),
      ...(opts.logPollIntervalMs === undefined ? {} : { pollIntervalMs: opts.logPollIntervalMs }),
      sink: async (entries) => {
        // A full buffer drops the batch (counted by the exporter); the positions move on regardless, as nothing more can be done.
        await opts.exporter.export('logs', logsToOtlpJson(entries), entries.length);
      },
    });
  }

  return {
    async start() {
      metrics.start();
      await tailer?.start();
    },
    collectOnce: () => metrics.collectOnce(),
    pollLogsOnce: async () => tailer?.pollOnce(),
    async shutdown() {
      await Promise.all([metrics.shutdown(), tailer?.shutdown()]);
    },
  };
}
