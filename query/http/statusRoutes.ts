import { formatDurationMs } from '../../core/index.js';
import { availableParallelism } from 'node:os';
import type { ApiHandler } from './apiContext.js';

export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** What the status endpoints report about this server. */
export interface ServerStatus {
  readonly buildInfo?: Partial<BuildInfo>;
  readonly lookbackMs: number;
  readonly queryTimeoutMs: number;
  readonly maxSamples: number;
  /** store.retentionMs, when the server knows it. */
  readonly retentionMs?: number;
  /** When the API started (runtimeinfo's startTime and lastConfigTime). */
  readonly startedAt: Date;
}

/**
 * GET /api/v1/status/buildinfo. Grafana probes it and picks query features by `version`,
 * so the default names the Prometheus release whose semantics the engine follows.
 */
export function buildInfoHandler(overrides: Partial<BuildInfo>): ApiHandler {
  const info: BuildInfo = { version: '3.0.0', revision: '', branch: '', buildUser: 'vigil', buildDate: '', goVersion: '', ...overrides };
  return constant(JSON.stringify(info));
}

/**
 * GET /api/v1/status/flags: Prometheus' command-line flags that mean something here, under
 * Prometheus' names, so tools that read the lookback or timeout find them.
 */
export function flagsHandler(s: ServerStatus): ApiHandler {
  const flags: Record<string, string> = {
    'query.lookback-delta': formatDurationMs(s.lookbackMs),
    'query.max-samples': String(s.maxSamples),
    'query.timeout': formatDurationMs(s.queryTimeoutMs),
    'storage.tsdb.retention.time': s.retentionMs === undefined ? '0s' : formatDurationMs(s.retentionMs),
  };
  return constant(JSON.stringify(flags));
}

/**
 * GET /api/v1/status/config: Vigil scrapes nothing and has no Prometheus configuration, so it
 * answers Prometheus' defaults for the global section, which is all clients read.
 */
export function configHandler(): ApiHandler {
  const yaml = 'global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n  evaluation_interval: 1m\n';
  return constant(JSON.stringify({ yaml }));
}

/** GET /api/v1/status/runtimeinfo, in Prometheus' fields; Go-only ones hold Node's nearest value or zero. */
export function runtimeInfoHandler(s: ServerStatus): ApiHandler {
  return () =>
    Promise.resolve({
      data: JSON.stringify({
        startTime: s.startedAt.toISOString(),
        CWD: process.cwd(),
        reloadConfigSuccess: true,
        lastConfigTime: s.startedAt.toISOString(),
        corruptionCount: 0,
        goroutineCount: 0,
        GOMAXPROCS: availableParallelism(),
        GOGC: '',
        GODEBUG: '',
        storageRetention: s.retentionMs === undefined ? 'unlimited' : formatDurationMs(s.retentionMs),
      }),
    });
}

function constant(data: string): ApiHandler {
  return () => Promise.resolve({ data });
}
