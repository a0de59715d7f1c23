import os from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { Labels, MetricMetadata, TimeSeries, WriteRequest } from '../../core/index.js';
import { DEFAULT_TENANT, seriesId, STALE_NAN } from '../../core/index.js';
import { collectHost } from './collectHost.js';
import type { FsStats } from './collectHost.js';

export interface HostCollectorOptions {
  /** Receives each collection; usually the ingest pipeline's write entry point. */
  readonly sink: (req: WriteRequest) => Promise<unknown>;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Time between collections (default 15 s). */
  readonly intervalMs?: number;
  readonly procRoot?: string;
  readonly sysRoot?: string;
  /** Tenant the host's metrics are written to (default 'default'). */
  readonly tenant?: string;
  /** The instance label (default os.hostname()). */
  readonly hostname?: string;
  /** The job label (default 'vigil-host'). */
  readonly job?: string;
  readonly statfs?: (path: string) => Promise<FsStats>;
  readonly statfsTimeoutMs?: number;
  /** Clock for sample timestamps (tests pin it). */
  readonly now?: () => number;
  /**
   * More metrics for each collection, at the same timestamp (containers, the agent's own
   * metrics). Their failures are counted and logged as the host's own sources' are.
   */
  readonly extraSources?: readonly MetricSource[];
}

/** A source of metrics collected with the host's: series (with job and instance), their metadata, and what could not be read. */
export type MetricSource = (nowMs: number) => Promise<{
  readonly series: readonly TimeSeries[];
  readonly metadata: readonly MetricMetadata[];
  readonly failures: readonly { readonly source: string; readonly error: string }[];
}>;

/**
 * Watches the machine Vigil runs on, node_exporter style. Lifecycle: start() collects at once
 * and then every intervalMs; collections never overlap (the next one is scheduled only after
 * the previous finished) and never reject (failures are logged and counted); the timer does
 * not keep the process alive. shutdown() is idempotent and waits for a collection in flight.
 */
export interface HostCollector {
  start(): void;
  /** Collects and hands one WriteRequest to the sink now; resolves true when the sink accepted it. Never rejects. */
  collectOnce(): Promise<boolean>;
  shutdown(): Promise<void>;
}

export function createHostCollector(opts: HostCollectorOptions): HostCollector {
  const intervalMs = opts.intervalMs ?? 15_000;
  const now = opts.now ?? Date.now;
  const hostname = opts.hostname ?? os.hostname();
  const log = opts.logger;
  const collections = new Counter({
    name: 'vigil_host_collections_total',
    help: 'Host metric collections, by result.',
    labelNames: ['result'] as const,
    registers: [opts.registry],
  });
  const errors = new Counter({
    name: 'vigil_host_collection_errors_total',
    help: 'Host sources that could not be read, and sink failures, by source.',
    labelNames: ['source'] as const,
    registers: [opts.registry],
  });
  const seriesGauge = new Gauge({ name: 'vigil_host_series', help: 'Series produced by the last host collection.', registers: [opts.registry] });
  const durationGauge = new Gauge({ name: 'vigil_host_collection_duration_seconds', help: 'Duration of the last host collection.', registers: [opts.registry] });

  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<boolean> | undefined;
  let started = false;
  let stopped = false;
  // Series of the previous collection: the ones that vanish get a staleness marker, as a Prometheus scrape would write.
  let previous = new Map<bigint, Labels>();

  const collect = async (): Promise<boolean> => {
    const beganAt = performance.now();
    const t = now();
    try {
      const c = await collectHost({
        procRoot: opts.procRoot ?? '/proc',
        sysRoot: opts.sysRoot ?? '/sys',
        hostname,
        job: opts.job ?? 'vigil-host',
        nowMs: t,
        ...(opts.statfs === undefined ? {} : { statfs: opts.statfs }),
        ...(opts.statfsTimeoutMs === undefined ? {} : { statfsTimeoutMs: opts.statfsTimeoutMs }),
      });
      const extra = await Promise.all((opts.extraSources ?? []).map((source) => source(t)));
      const series = [...c.series, ...extra.flatMap((e) => e.series)];
      const metadata = [...c.metadata, ...extra.flatMap((e) => e.metadata)];
      for (const f of [...c.failures, ...extra.flatMap((e) => e.failures)]) {
        errors.inc({ source: f.source });
        log.warn({ source: f.source, error: f.error }, 'host collector could not read a source');
      }
      const current = new Map<bigint, Labels>();
      for (const s of series) current.set(seriesId(s.labels), s.labels);
      const stale: TimeSeries[] = [];
      for (const [id, labels] of previous) if (!current.has(id)) stale.push({ labels, samples: [{ t, v: STALE_NAN }] });
      previous = current;
      seriesGauge.set(series.length);
      await opts.sink({ tenant: opts.tenant ?? DEFAULT_TENANT, series: [...series, ...stale], metadata, logs: [], events: [] });
      collections.inc({ result: 'success' });
      return true;
    } catch (err) {
      errors.inc({ source: 'sink' });
      collections.inc({ result: 'failure' });
      log.warn({ err }, 'host collection was not accepted');
      return false;
    } finally {
      durationGauge.set((performance.now() - beganAt) / 1000);
    }
  };

  const collectOnce = (): Promise<boolean> => {
    // One collection at a time: a manual call during a scheduled one shares it.
    if (inFlight === undefined) inFlight = collect().finally(() => (inFlight = undefined));
    return inFlight;
  };

  const loop = async (): Promise<void> => {
    const began = Date.now();
    await collectOnce();
    if (stopped) return;
    // Keep the cadence: wait for what is left of the interval, never less than nothing.
    timer = setTimeout(() => void loop(), Math.max(0, intervalMs - (Date.now() - began)));
    timer.unref();
  };

  return {
    start() {
      if (started || stopped) return;
      started = true;
      log.info({ intervalMs, hostname }, 'host collector started');
      void loop();
    },
    collectOnce,
    async shutdown() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await inFlight;
    },
  };
}
