import type { Labels, Limits, TenantLimits } from '../../core/index.js';
import { formatSeries, tenantLimits, VigilError } from '../../core/index.js';
import type { Registry } from 'prom-client';
import { TOPICS } from '../bus/bus.js';
import { decodeBusRecord, encodeMetricsColumns } from '../codec/recordCodec.js';
import type { PreparedTopic, PreparedWrite } from '../pipeline/prepareWrite.js';
import type { RejectionEntry } from '../pipeline/rejections.js';
import type { CardinalityReason } from './cardinalityGuard.js';
import { CardinalityRefusals, PairHashes, TenantCardinality } from './cardinalityGuard.js';
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
  readonly cardinality: TenantCardinality;
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
    this.metrics = createIngestLimitMetrics(options.registry, () => [...this.tenants].map(([tenant, s]) => [tenant, s.cardinality.series.size]));
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
        cardinality: new TenantCardinality(this.windowMs, INITIAL_TABLE_SLOTS),
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

  /**
   * The cardinality limits: a new series beyond limits.maxActiveSeries, or bringing a value beyond
   * limits.maxLabelValuesPerName for one of its label names, loses its samples; known series
   * and the rest of the request go through (partial success). Records whose series are all known
   * pass untouched; the others are decoded, filtered and encoded again.
   */
  private limitSeries(prepared: PreparedWrite, state: TenantState, nowMs: number): LimitedWrite {
    const limits = state.limits;
    const ids = prepared.seriesIds;
    const at = prepared.topics.findIndex((t) => t.topic === TOPICS.metrics);
    if ((limits.maxActiveSeries === 0 && limits.maxLabelValuesPerName === 0) || ids === undefined || at < 0) return { prepared, rejections: [] };
    const topic = prepared.topics[at] as PreparedTopic;
    const refusals = new CardinalityRefusals();
    const values: Uint8Array[] = [];
    topic.values.forEach((value, r) => {
      const words = ids[r] ?? new Uint32Array(0);
      const firstNew = state.cardinality.touchKnown(words, 0, nowMs);
      if (firstNew < 0) {
        values.push(value);
        return;
      }
      // New series in this record (a tenant's first writes, churn): their labels are needed.
      const record = decodeBusRecord(value);
      if (record.kind !== 'metrics') throw new Error('a metrics topic record is not a metrics batch');
      const cols = record.columns;
      const hashes = new PairHashes(cols.pairs.length / 2);
      let keep: Uint8Array | undefined;
      let p = 0;
      for (let i = 0, next = firstNew; i < cols.counts.length; i++) {
        if (i === next) {
          const refused = state.cardinality.admitNew(cols, i, p, words, limits, nowMs, hashes);
          if (refused !== undefined) {
            keep ??= new Uint8Array(cols.counts.length).fill(1);
            keep[i] = 0;
            refusals.add(refused.reason, cols, p, i, refused.label);
          }
          next = state.cardinality.touchKnown(words, i + 1, nowMs);
          if (next < 0) next = cols.counts.length;
        }
        p += cols.pairCounts[i] as number;
      }
      if (keep === undefined) {
        values.push(value);
        return;
      }
      const filtered = filterSampleColumns(cols, keep);
      if (filtered.kept.counts.length > 0 || record.metadata.length > 0) values.push(encodeMetricsColumns(prepared.tenant, filtered.kept, record.metadata));
    });
    if (refusals.byReason.size === 0) return { prepared, rejections: [] };

    const { tenant } = prepared;
    const entries: RejectionEntry[] = [];
    let droppedSamples = 0;
    for (const [reason, r] of refusals.byReason) {
      droppedSamples += r.samples;
      this.metrics.limitedRecords(tenant, reason, r.samples);
      for (const [metric, n] of r.byMetric) this.metrics.refusedByMetric(tenant, reason, metric, n);
      entries.push({ kind: 'samples', reason, count: r.samples, message: refusalMessage(reason, tenant, limits, r) });
    }
    const message = entries.map((e) => e.message).join('; ');
    const accepted = { ...prepared.accepted, samples: prepared.accepted.samples - droppedSamples };
    const rejected = { ...prepared.rejected, samples: prepared.rejected.samples + droppedSamples };
    const errorMessage = prepared.errorMessage === '' ? message : `${prepared.errorMessage}; ${message}`;
    if (accepted.samples + accepted.logs + accepted.events === 0) {
      for (const reason of refusals.byReason.keys()) this.metrics.limitedRequest(tenant, reason);
      throw new VigilError('limit_exceeded', `all ${rejected.samples + rejected.logs + rejected.events} records rejected: ${errorMessage}`);
    }
    const topics = prepared.topics.map((t, i) => (i === at ? { topic: t.topic, values } : t)).filter((t) => t.values.length > 0);
    return { prepared: { ...prepared, topics, accepted, rejected, rejections: [...prepared.rejections, ...entries], errorMessage }, rejections: entries };
  }
}

/** The client's message for one kind of refusal: the limit and its key, an example series, the metrics that lost the most. */
function refusalMessage(reason: CardinalityReason, tenant: string, limits: TenantLimits, r: { series: number; example: Labels; label?: string; byMetric: ReadonlyMap<string, number> }): string {
  const example = formatSeries(r.example);
  const shown = example.length > MAX_EXAMPLE_CHARS ? `${example.slice(0, MAX_EXAMPLE_CHARS)}…` : example;
  const byMetric = `; refused by metric: ${CardinalityRefusals.topMetrics(r.byMetric)}`;
  if (reason === 'per_tenant_active_series') {
    return (
      `per-tenant active series limit of ${limits.maxActiveSeries} exceeded for tenant ${JSON.stringify(tenant)} (limits.maxActiveSeries): ` +
      `${r.series} new series rejected, e.g. ${shown}; series seen within the last hour still flow${byMetric}`
    );
  }
  return (
    `per-tenant limit of ${limits.maxLabelValuesPerName} values per label name exceeded for label ${JSON.stringify(r.label ?? '')} of tenant ${JSON.stringify(tenant)} ` +
    `(limits.maxLabelValuesPerName): ${r.series} new series rejected, e.g. ${shown}${byMetric}`
  );
}
