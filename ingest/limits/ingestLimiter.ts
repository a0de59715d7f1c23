import type { Limits, TenantLimits } from '../../core/index.js';
import { formatSeries, tenantLimits, VigilError } from '../../core/index.js';
import type { Registry } from 'prom-client';
import { TOPICS } from '../bus/bus.js';
import { decodeBusRecord, encodeMetricsColumns } from '../codec/recordCodec.js';
import type { PreparedTopic, PreparedWrite } from '../pipeline/prepareWrite.js';
import type { RejectionEntry } from '../pipeline/rejections.js';
import { ActiveSeriesTable } from './activeSeriesTable.js';
import { filterSampleColumns } from './filterColumns.js';
import { createIngestLimitMetrics } from './limitMetrics.js';
import type { IngestLimitMetrics } from './limitMetrics.js';
import { TokenBucket } from './tokenBucket.js';

export interface IngestLimiterOptions {
  readonly limits: Limits;
  readonly registry: Registry;
  /** How long a series stays active after its last sample (default one hour). */
  readonly activeSeriesWindowMs?: number;
}

/** What a tenant's writes are held to, created on its first write. */
interface TenantState {
  readonly limits: TenantLimits;
  readonly bucket: TokenBucket;
  readonly series: ActiveSeriesTable;
  lastWriteMs: number;
}

/** A new tenant's active-series table starts this small (~0.8 KB) and grows with its series. */
const INITIAL_TABLE_SLOTS = 64;
/** How often idle tenants are forgotten. */
const SWEEP_EVERY_MS = 60_000;

/** A prepared write after the limits: what to publish, and what the limits dropped from it. */
export interface LimitedWrite {
  readonly prepared: PreparedWrite;
  /** Rejections the limits added (already included in prepared's counts and message). */
  readonly rejections: readonly RejectionEntry[];
}

/** Longest example series quoted in a message. */
const MAX_EXAMPLE_CHARS = 200;

/**
 * The per-tenant ingest limits, applied on the main thread to each prepared write before it is
 * published: the ingestion rate (token bucket of samples plus log lines; over it the whole request
 * is refused with 429) and active series (a new series beyond the limit loses its samples, the
 * rest of the request goes through: partial success). Like Mimir's distributor and ingester
 * limits, every refusal names the tenant and the configuration key to raise.
 *
 * A series counts as active once admitted, even if publishing then fails (it expires after the
 * window like any other). A tenant that wrote nothing for a whole window is forgotten: its series
 * have all expired and its bucket is full again, so forgetting changes no answer, and a client
 * cycling through made-up tenant ids cannot grow memory beyond one window's worth.
 */
export class IngestLimiter {
  private readonly tenants = new Map<string, TenantState>();
  private readonly metrics: IngestLimitMetrics;
  private nextSweepMs = 0;

  constructor(private readonly options: IngestLimiterOptions) {
    this.metrics = createIngestLimitMetrics(options.registry, () => [...this.tenants].map(([tenant, s]) => [tenant, s.series.size]));
  }

  /**
   * Applies the limits of `prepared.tenant` at `nowMs`. Throws VigilError 'too_many_requests' (with
   * retryAfterMs) over the rate, 'limit_exceeded' when the active-series limit leaves nothing.
   */
  apply(prepared: PreparedWrite, nowMs: number): LimitedWrite {
    this.forgetIdleTenants(nowMs);
    const state = this.stateOf(prepared.tenant, nowMs);
    state.lastWriteMs = Math.max(state.lastWriteMs, nowMs);
    this.checkRate(prepared, state, nowMs);
    return this.limitSeries(prepared, state, nowMs);
  }

  /** Tenants whose limiter state is held (for tests and the operator's curiosity). */
  get tenantCount(): number {
    return this.tenants.size;
  }

  private get windowMs(): number {
    return this.options.activeSeriesWindowMs ?? 3_600_000;
  }

  private forgetIdleTenants(nowMs: number): void {
    if (nowMs < this.nextSweepMs) return;
    this.nextSweepMs = nowMs + SWEEP_EVERY_MS;
    // Idle for a window and a minute: the table stamps minutes, so every series has expired by then.
    const cutoff = nowMs - this.windowMs - SWEEP_EVERY_MS;
    for (const [tenant, state] of this.tenants) if (state.lastWriteMs < cutoff) this.tenants.delete(tenant);
  }

  private stateOf(tenant: string, nowMs: number): TenantState {
    let state = this.tenants.get(tenant);
    if (state === undefined) {
      const limits = tenantLimits(this.options.limits, tenant);
      state = {
        limits,
        bucket: new TokenBucket(limits.ingestRate, limits.ingestBurst, nowMs),
        series: new ActiveSeriesTable(this.windowMs, INITIAL_TABLE_SLOTS),
        lastWriteMs: nowMs,
      };
      this.tenants.set(tenant, state);
    }
    return state;
  }

  private checkRate(prepared: PreparedWrite, state: TenantState, nowMs: number): void {
    const count = prepared.accepted.samples + prepared.accepted.logs;
    const taken = state.bucket.take(count, nowMs);
    if (taken.ok) return;
    this.metrics.limitedRequest(prepared.tenant, 'ingest_rate');
    this.metrics.limitedRecords(prepared.tenant, 'ingest_rate', count);
    const { ingestRate, ingestBurst } = state.limits;
    throw new VigilError(
      'too_many_requests',
      `ingestion rate limit of ${ingestRate} samples/s (burst ${ingestBurst}) for tenant ${JSON.stringify(prepared.tenant)} exceeded (limits.ingestRate): ` +
        `this request of ${count} samples and log lines was refused; retry later or raise the limit`,
      { retryAfterMs: taken.retryAfterMs },
    );
  }

  private limitSeries(prepared: PreparedWrite, state: TenantState, nowMs: number): LimitedWrite {
    const limit = state.limits.maxActiveSeries;
    const ids = prepared.seriesIds;
    const at = prepared.topics.findIndex((t) => t.topic === TOPICS.metrics);
    if (limit === 0 || ids === undefined || at < 0) return { prepared, rejections: [] };
    const topic = prepared.topics[at] as PreparedTopic;
    let droppedSeries = 0;
    let droppedSamples = 0;
    let example: string | undefined;
    const values: Uint8Array[] = [];
    topic.values.forEach((value, r) => {
      const keep = this.admit(state.series, ids[r] ?? new Uint32Array(0), nowMs, limit);
      if (keep === undefined) {
        values.push(value);
        return;
      }
      // Rare (a tenant at its limit): decode the record, drop the refused series, encode it again.
      const record = decodeBusRecord(value);
      if (record.kind !== 'metrics') throw new Error('a metrics topic record is not a metrics batch');
      const filtered = filterSampleColumns(record.columns, keep);
      droppedSeries += filtered.droppedSeries;
      droppedSamples += filtered.droppedSamples;
      if (example === undefined && filtered.firstDropped !== undefined) example = formatSeries(filtered.firstDropped);
      if (filtered.kept.counts.length > 0 || record.metadata.length > 0) values.push(encodeMetricsColumns(prepared.tenant, filtered.kept, record.metadata));
    });
    if (droppedSeries === 0) return { prepared, rejections: [] };

    const { tenant } = prepared;
    this.metrics.limitedRecords(tenant, 'per_tenant_active_series', droppedSamples);
    const shown = example !== undefined && example.length > MAX_EXAMPLE_CHARS ? `${example.slice(0, MAX_EXAMPLE_CHARS)}…` : example;
    const message =
      `per-tenant active series limit of ${limit} exceeded for tenant ${JSON.stringify(tenant)} (limits.maxActiveSeries): ` +
      `${droppedSeries} new series rejected, e.g. ${shown ?? '?'}; series seen within the last hour still flow`;
    const entry: RejectionEntry = { kind: 'samples', reason: 'per_tenant_active_series', count: droppedSamples, message };
    const accepted = { ...prepared.accepted, samples: prepared.accepted.samples - droppedSamples };
    const rejected = { ...prepared.rejected, samples: prepared.rejected.samples + droppedSamples };
    const errorMessage = prepared.errorMessage === '' ? message : `${prepared.errorMessage}; ${message}`;
    if (accepted.samples + accepted.logs + accepted.events === 0) {
      this.metrics.limitedRequest(tenant, 'per_tenant_active_series');
      throw new VigilError('limit_exceeded', `all ${rejected.samples + rejected.logs + rejected.events} records rejected: ${errorMessage}`);
    }
    const topics = prepared.topics.map((t, i) => (i === at ? { topic: t.topic, values } : t)).filter((t) => t.values.length > 0);
    return { prepared: { ...prepared, topics, accepted, rejected, rejections: [...prepared.rejections, entry], errorMessage }, rejections: [entry] };
  }

  /** Touches every series of one record; undefined when all may pass, else which may (1) and which not (0). */
  private admit(table: ActiveSeriesTable, words: Uint32Array, nowMs: number, limit: number): Uint8Array | undefined {
    let keep: Uint8Array | undefined;
    const n = words.length / 2;
    for (let i = 0; i < n; i++) {
      if (table.touch(words[2 * i] as number, words[2 * i + 1] as number, nowMs, limit)) continue;
      keep ??= new Uint8Array(n).fill(1);
      keep[i] = 0;
    }
    return keep;
  }
}
