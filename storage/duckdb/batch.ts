import type { Event, Labels, LogRecord, MetricMetadata, SampleColumns, TimeSeries } from '../../core/index.js';
import { checkSampleColumns, METRIC_NAME, sampleColumnsLabels, sampleColumnsSeriesIds, seriesId, VigilError } from '../../core/index.js';

/**
 * One appender's buffered writes, laid out for the commit: samples are kept as parallel typed
 * arrays (series slot, time, value) so that filling DuckDB's column vectors touches no per-sample
 * objects. Series, streams and tenants are referenced by slot numbers into small lists. Series
 * that arrived as SampleColumns keep their labels in the columns' symbol table until the commit
 * asks for them, which it does only for series the store does not know yet.
 */
export interface BatchLog {
  readonly tenantSlot: number;
  readonly streamId: bigint;
  readonly record: LogRecord;
  /** record.attributes and record.resource as JSON text. */
  readonly attributes: string;
  readonly resource: string;
}

export interface BatchEvent {
  readonly tenantSlot: number;
  readonly event: Event;
}

export interface BatchMetadata {
  readonly tenantSlot: number;
  readonly metadata: MetricMetadata;
}

export interface BatchOffset {
  readonly group: string;
  readonly topicPartition: string;
  readonly nextOffset: bigint;
}

const INITIAL_CAPACITY = 1024;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isInt64(v: unknown): v is bigint {
  return typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX;
}

/** Label values must be strings: they are hashed and stored as text. */
function checkLabels(labels: Labels, what: string): void {
  for (const k in labels) {
    if (typeof labels[k] !== 'string') throw new VigilError('bad_data', `${what}: label ${k} has a ${typeof labels[k]} value, expected a string`);
  }
}

function toJson(value: unknown, index: number, field: string): string {
  try {
    return JSON.stringify(value ?? {});
  } catch (err) {
    throw new VigilError('bad_data', `log record ${index}: ${field} cannot be stored as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export class Batch {
  readonly tenants: string[] = [];
  /** Per series slot: its tenant slot and id. */
  readonly seriesTenantSlot: number[] = [];
  readonly seriesIds: bigint[] = [];
  /** Per series slot: its label set, or undefined when it lives in a SampleColumns block. */
  private readonly seriesLabels: Array<Labels | undefined> = [];
  /** Per series slot from a block: the block, and the series' index in it. */
  private readonly seriesBlock: number[] = [];
  private readonly seriesInBlock: number[] = [];
  private readonly blocks: Array<{ cols: SampleColumns; pairStart: Uint32Array }> = [];
  /** Per sample: index into the series slots. */
  sampleSeries = new Uint32Array(INITIAL_CAPACITY);
  sampleTime = new Float64Array(INITIAL_CAPACITY);
  sampleValue = new Float64Array(INITIAL_CAPACITY);
  sampleCount = 0;
  readonly logs: BatchLog[] = [];
  readonly events: BatchEvent[] = [];
  readonly metadata: BatchMetadata[] = [];
  readonly offsets = new Map<string, BatchOffset>();
  private readonly tenantSlots = new Map<string, number>();

  isEmpty(): boolean {
    return this.sampleCount === 0 && this.seriesIds.length === 0 && this.logs.length === 0 && this.events.length === 0 && this.metadata.length === 0 && this.offsets.size === 0;
  }

  get seriesCount(): number {
    return this.seriesIds.length;
  }

  /** The label set of a series slot (built from the symbol table for series from SampleColumns). */
  labelsOf(slot: number): Labels {
    const labels = this.seriesLabels[slot];
    if (labels !== undefined) return labels;
    const { cols, pairStart } = this.blocks[this.seriesBlock[slot] as number] as (typeof this.blocks)[number];
    const i = this.seriesInBlock[slot] as number;
    return sampleColumnsLabels(cols, pairStart[i] as number, pairStart[i + 1] as number);
  }

  addSeries(tenant: string, ts: TimeSeries): void {
    const samples = ts.samples;
    // Validate the whole series before buffering any of it, so a bad series leaves no trace.
    const name = ts.labels[METRIC_NAME];
    if (name === undefined || name.length === 0) throw new VigilError('bad_data', 'series has no metric name (__name__ label)');
    checkLabels(ts.labels, `series ${name}`);
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as { t: number; v: number };
      if (!Number.isSafeInteger(s.t)) throw new VigilError('bad_data', `sample ${i} of ${name} has timestamp ${String(s.t)}: expected an integer in milliseconds`);
      if (typeof s.v !== 'number') throw new VigilError('bad_data', `sample ${i} of ${name} has value ${String(s.v)}: expected a number`);
    }
    const slot = this.seriesIds.length;
    this.seriesTenantSlot.push(this.tenantSlot(tenant));
    this.seriesIds.push(seriesId(ts.labels));
    this.seriesLabels.push(ts.labels);
    this.seriesBlock.push(-1);
    this.seriesInBlock.push(0);
    this.reserve(this.sampleCount + samples.length);
    let n = this.sampleCount;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as { t: number; v: number };
      this.sampleSeries[n] = slot;
      this.sampleTime[n] = s.t;
      this.sampleValue[n] = s.v;
      n++;
    }
    this.sampleCount = n;
  }

  /** addSeries for every series of `cols`, copying the sample columns in bulk. */
  addSampleColumns(tenant: string, cols: SampleColumns): void {
    // Validate the whole batch before buffering any of it, so bad input leaves no trace.
    const pairStart = checkSampleColumns(cols);
    const ids = sampleColumnsSeriesIds(cols, pairStart);
    const tenantSlot = this.tenantSlot(tenant);
    const block = this.blocks.push({ cols, pairStart }) - 1;
    const { counts, t, v } = cols;
    this.reserve(this.sampleCount + t.length);
    let n = this.sampleCount;
    for (let i = 0; i < counts.length; i++) {
      const slot = this.seriesIds.length;
      this.seriesTenantSlot.push(tenantSlot);
      this.seriesIds.push(ids[i] as bigint);
      this.seriesLabels.push(undefined);
      this.seriesBlock.push(block);
      this.seriesInBlock.push(i);
      const c = counts[i] as number;
      this.sampleSeries.fill(slot, n, n + c);
      n += c;
    }
    this.sampleTime.set(t, this.sampleCount);
    this.sampleValue.set(v, this.sampleCount);
    this.sampleCount = n;
  }

  addLogs(tenant: string, logs: readonly LogRecord[]): void {
    const checked: BatchLog[] = [];
    const slot = this.tenantSlot(tenant);
    for (const [i, r] of logs.entries()) {
      if (!isInt64(r.timeNs) || !isInt64(r.observedTimeNs)) throw new VigilError('bad_data', `log record ${i}: timeNs and observedTimeNs must be bigint nanoseconds within int64`);
      if (!Number.isInteger(r.severityNumber) || r.severityNumber < 0 || r.severityNumber > 24) {
        throw new VigilError('bad_data', `log record ${i}: severityNumber ${r.severityNumber} is not an integer in 0..24`);
      }
      for (const field of ['severityText', 'body', 'traceId', 'spanId'] as const) {
        if (typeof r[field] !== 'string') throw new VigilError('bad_data', `log record ${i}: ${field} must be a string`);
      }
      checkLabels(r.stream, `log record ${i} stream`);
      checked.push({ tenantSlot: slot, streamId: seriesId(r.stream), record: r, attributes: toJson(r.attributes, i, 'attributes'), resource: toJson(r.resource, i, 'resource') });
    }
    for (const l of checked) this.logs.push(l);
  }

  addEvents(tenant: string, events: readonly Event[]): void {
    for (const [i, e] of events.entries()) {
      if (!Number.isSafeInteger(e.firstSeenMs) || !Number.isSafeInteger(e.lastSeenMs)) throw new VigilError('bad_data', `event ${i}: firstSeenMs and lastSeenMs must be integer milliseconds`);
      if (!Number.isInteger(e.count) || e.count < 0 || e.count > 2 ** 31 - 1) throw new VigilError('bad_data', `event ${i}: count ${e.count} is not a non-negative 32-bit integer`);
      checkLabels(e.labels, `event ${i}`);
      const o = e.involvedObject;
      for (const v of [e.reason, e.type, e.message, e.source, o.kind, o.name, o.namespace, o.uid]) {
        if (typeof v !== 'string') throw new VigilError('bad_data', `event ${i}: reason, type, message, source and involvedObject fields must be strings`);
      }
    }
    const slot = this.tenantSlot(tenant);
    for (const e of events) this.events.push({ tenantSlot: slot, event: e });
  }

  addMetadata(tenant: string, metadata: MetricMetadata): void {
    if (metadata.metricFamilyName.length === 0) throw new VigilError('bad_data', 'metadata has an empty metricFamilyName');
    this.metadata.push({ tenantSlot: this.tenantSlot(tenant), metadata });
  }

  setOffset(group: string, topicPartition: string, nextOffset: bigint): void {
    if (!isInt64(nextOffset) || nextOffset < 0n) throw new VigilError('bad_data', `offset ${nextOffset} for ${topicPartition} is outside 0..2^63-1`);
    this.offsets.set(`${group}\u0000${topicPartition}`, { group, topicPartition, nextOffset });
  }

  private tenantSlot(tenant: string): number {
    let slot = this.tenantSlots.get(tenant);
    if (slot === undefined) {
      if (tenant.length === 0) throw new VigilError('bad_data', 'tenant must not be empty');
      slot = this.tenants.length;
      this.tenants.push(tenant);
      this.tenantSlots.set(tenant, slot);
    }
    return slot;
  }

  private reserve(n: number): void {
    if (n <= this.sampleTime.length) return;
    let cap = this.sampleTime.length * 2;
    while (cap < n) cap *= 2;
    const series = new Uint32Array(cap);
    series.set(this.sampleSeries.subarray(0, this.sampleCount));
    const time = new Float64Array(cap);
    time.set(this.sampleTime.subarray(0, this.sampleCount));
    const value = new Float64Array(cap);
    value.set(this.sampleValue.subarray(0, this.sampleCount));
    this.sampleSeries = series;
    this.sampleTime = time;
    this.sampleValue = value;
  }
}
