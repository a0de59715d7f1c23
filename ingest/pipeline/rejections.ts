import { capMessage } from '../../core/index.js';

/**
 * Rejected records, counted by kind and reason, with the first few messages kept for the
 * client. Receivers fill one while parsing (e.g. OTLP delta sums); the pipeline adds its own.
 */
export type RecordKind = 'samples' | 'logs' | 'events';

export type RejectReason =
  | 'invalid_labels' // a label or metric name breaks Prometheus' rules
  | 'too_many_labels' // more labels than limits.maxLabelsPerSeries
  | 'bad_timestamp' // not a finite whole number of milliseconds
  | 'too_old' // older than the maximum sample age (ingest.maxSampleAgeMs, at most the retention)
  | 'too_far_in_future' // more than limits.maxFutureMs ahead of the receiver's clock
  | 'line_too_long' // a log line over limits.maxLogLineBytes
  | 'invalid_event' // an event missing its reason, object or times
  | 'invalid_point' // a data point the receiver cannot read (no value, bucket counts not matching bounds)
  | 'unsupported' // data the receiver cannot convert (OTLP delta sums, exponential histograms)
  | 'per_tenant_active_series' // a new series beyond the tenant's limits.maxActiveSeries
  | 'per_label_name_values'; // a new series bringing a label value beyond the tenant's limits.maxLabelValuesPerName

/** Reasons that are configured limits rather than malformed data: they map to 'limit_exceeded'. */
const limitReasons: ReadonlySet<RejectReason> = new Set(['too_many_labels', 'line_too_long', 'per_tenant_active_series', 'per_label_name_values']);


export interface RejectionCounts {
  samples: number;
  logs: number;
  events: number;
}

export interface RejectionEntry {
  readonly kind: RecordKind;
  readonly reason: RejectReason;
  count: number;
  /** The first rejection of this kind and reason, naming the record and the problem. */
  readonly message: string;
}

export class Rejections {
  readonly counts: RejectionCounts = { samples: 0, logs: 0, events: 0 };
  /** Count and first message per "kind reason" pair: for the rejected_total metric and the client. */
  readonly byReason = new Map<string, RejectionEntry>();
  private onlyLimits = true;

  /** Records `count` rejected records of `kind`; `message` names the record and the problem. */
  add(kind: RecordKind, reason: RejectReason, count: number, message: string): void {
    if (count <= 0) return;
    this.counts[kind] += count;
    const key = `${kind} ${reason}`;
    const entry = this.byReason.get(key);
    if (entry === undefined) this.byReason.set(key, { kind, reason, count, message });
    else entry.count += count;
    if (!limitReasons.has(reason)) this.onlyLimits = false;
  }

  /** True when a rejection of this kind and reason already has its message (callers may skip building one). */
  hasMessage(kind: RecordKind, reason: RejectReason): boolean {
    return this.byReason.has(`${kind} ${reason}`);
  }

  /** Adds everything another collector holds. */
  merge(other: Rejections): void {
    for (const e of other.byReason.values()) this.add(e.kind, e.reason, e.count, e.message);
  }

  get total(): number {
    return this.counts.samples + this.counts.logs + this.counts.events;
  }

  /** True when every rejection so far was a configured limit (and there was at least one). */
  get allLimits(): boolean {
    return this.total > 0 && this.onlyLimits;
  }

  /**
   * One line for the client, at most 1 KiB: the first message per kind and reason (it names a
   * record, e.g. a series), with how many shared it and the reason.
   */
  summary(): string {
    return capMessage([...this.byReason.values()].map((e) => `${e.message} (${e.count} ${e.kind} rejected: ${e.reason})`).join('; '));
  }

  /** The first message of each kind and reason. */
  get messages(): string[] {
    return [...this.byReason.values()].map((e) => e.message);
  }
}
