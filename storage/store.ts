import type { Event, Labels, LogRecord, MetricMetadata, SampleColumns, TimeSeries } from '../core/index.js';
import type { LabelMatcher } from './matchers.js';

/**
 * The storage contract every engine uses, modelled on Prometheus' storage interfaces:
 * an Appender collects writes and ends in commit() or rollback(); a Querier reads one tenant
 * over one time range. Engines receive a Store; only bin/ picks the implementation
 * (storage/duckdb for the embedded default, storage/clickhouse for scale-out).
 *
 * Time bounds are inclusive on both ends, in milliseconds (logs: nanoseconds) since the epoch.
 *
 * Tenants are enforced here, not by callers: every write names its tenant, and a querier never
 * returns anything written under another tenant — series, samples,
 * label names and values, metadata, log records, streams and their labels, events — whatever its
 * matchers (`{__name__=~".+"}` included). Two tenants may write the same label set (so the same
 * series or stream id): each still sees only its own samples and records. A tenant that never
 * wrote (or an unknown name, such as '*') reads nothing. Handlers only choose the tenant (from the
 * request's identity) and never add a tenant label filter. test/storage/tenantContract.ts checks
 * this for every engine.
 */
export interface Store {
  /** Opens the store (creates schema); called once before anything else. */
  open(): Promise<void>;
  /** True between a successful open() and close(). */
  isOpen(): boolean;
  /** A new appender. Appenders are not safe for concurrent use; use one per batch. */
  appender(): Appender;
  /**
   * A querier for one tenant and the inclusive range [minT, maxT] in ms; it sees that tenant's
   * data only. `options.signal` cancels its reads (see QuerierOptions).
   */
  querier(tenant: string, minT: number, maxT: number, options?: QuerierOptions): Querier;
  /**
   * Consumer offsets committed together with data (see Appender.setOffset): the next offset to
   * read per topic/partition for a consumer group, or an empty map when none was stored.
   */
  committedOffsets(group: string): Promise<Map<string, bigint>>;
  /** Drops every time partition that lies entirely before `beforeMs`; returns how many were dropped. */
  applyRetention(beforeMs: number): Promise<number>;
  /** Flushes and closes; idempotent. */
  close(): Promise<void>;
  /**
   * Optional: the cardinality of everything one tenant has stored (every series in retention),
   * for Prometheus' /api/v1/status/tsdb. Each list holds the `limit` largest entries, largest
   * first, ties by name. Like every read, it counts only what `tenant` wrote; an unknown tenant
   * has zero series. A store that cannot answer cheaply leaves it out (the API then answers 503).
   */
  cardinality?(tenant: string, limit: number): Promise<CardinalityStats>;
}

/** One entry of a cardinality list: a metric name, label name or `name=value` pair and its count. */
export interface NamedCount {
  readonly name: string;
  readonly value: number;
}

/** What Prometheus' TSDB status reports, over one tenant's stored series (see Store.cardinality). */
export interface CardinalityStats {
  readonly numSeries: number;
  /** Distinct label name/value pairs (`__name__` included). */
  readonly numLabelPairs: number;
  /** Earliest and latest sample timestamp (ms); undefined when the tenant has no samples. */
  readonly minTimeMs: number | undefined;
  readonly maxTimeMs: number | undefined;
  /** Series per metric name. */
  readonly seriesCountByMetricName: readonly NamedCount[];
  /** Distinct values per label name. */
  readonly labelValueCountByLabelName: readonly NamedCount[];
  /** Per label name, the bytes of its values summed over series (Prometheus' "memory in bytes"). */
  readonly memoryInBytesByLabelName: readonly NamedCount[];
  /** Series per `name=value` pair. */
  readonly seriesCountByLabelValuePair: readonly NamedCount[];
}

/**
 * Collects one batch of writes. Nothing is visible to queriers before commit(); after commit()
 * resolves, everything is durable. After commit() or rollback() the appender must not be used.
 */
export interface Appender {
  /** Samples for a series; the series is created on first sight. Samples need not be sorted. */
  appendSeries(tenant: string, series: TimeSeries): void;
  /**
   * The same as appendSeries for every series in `columns`, without per-sample objects: the
   * writer's path. Validates everything before buffering anything.
   */
  appendSampleColumns(tenant: string, columns: SampleColumns): void;
  appendMetadata(tenant: string, metadata: MetricMetadata): void;
  appendLogs(tenant: string, logs: readonly LogRecord[]): void;
  appendEvents(tenant: string, events: readonly Event[]): void;
  /**
   * Records that `group` has consumed `topicPartition` ("topic/partition") up to, but excluding,
   * `nextOffset`, atomically with this batch's data: a crash never duplicates or loses a batch.
   */
  setOffset(group: string, topicPartition: string, nextOffset: bigint): void;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * What a querier is created with, like the context Prometheus passes to Queryable.Querier: one
 * querier serves one query, so its cancellation is the query's.
 */
export interface QuerierOptions {
  /**
   * Aborting it stops every read of this querier, running or not yet started: the store
   * interrupts the running statement and frees its connection, and the read rejects with the
   * signal's reason when that is a VigilError, else VigilError('timeout') (storage/readErrors.ts).
   * A read never resolves with partial results once the signal has aborted.
   */
  readonly signal?: AbortSignal;
}

/** A series as stored: its identity and labels. */
export interface StoredSeries {
  readonly id: bigint;
  readonly labels: Labels;
}

/**
 * A series and its samples in range as two columns, never one object per sample: the engine
 * slices them by index. Both arrays have the same length (at least 1), timestamps (integer ms)
 * ascending and within the querier's range; values may hold staleness markers (core/stale.ts).
 */
export interface SeriesSamples extends StoredSeries {
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/**
 * Hints for a read, like Prometheus' storage.SelectHints. The informational ones describe what
 * the caller will do with the samples (the selector's range, the function and grouping around
 * it), so that a store could push work down; a store may use one only where the result is
 * provably identical to evaluating in memory, and it must always return what the matchers and
 * its range select. No store uses them yet: every store returns raw samples.
 *
 * The limits are not hints: a store enforces them while reading (see each).
 */
export interface SelectHints {
  /** Informational: the earliest and latest time (ms) the caller evaluates at, after offset and lookback. */
  readonly startMs?: number;
  readonly endMs?: number;
  /** Informational: the range of a range selector (`x[5m]`: 300000), absent for an instant selector. */
  readonly rangeMs?: number;
  /** Informational: the function the samples are handed to (`rate`), if any. */
  readonly func?: string;
  /** Informational: the aggregation's grouping around the selector (`by (a)`: by, ['a']). */
  readonly grouping?: { readonly by: boolean; readonly labels: readonly string[] };
  /** selectSeries: at most this many series (the first by id), not an error. */
  readonly limit?: number;
  /**
   * selectSamples: the most samples the call may load. The store counts while reading and stops
   * as soon as the count goes over, rejecting with VigilError('limit_exceeded') and Prometheus'
   * message (storage/readErrors.ts), so an over-budget query never holds all its samples.
   * Absent or Infinity: no budget.
   */
  readonly maxSamples?: number;
  /**
   * selectSamples: the most series the call may return. Counted as series are read, before any
   * of their samples; one more rejects with VigilError('limit_exceeded') and Cortex's message
   * (storage/readErrors.ts). Absent or Infinity: no limit.
   */
  readonly maxSeries?: number;
}

export interface LogLineFilter {
  /** |= contains, != not contains, |~ regex matches, !~ regex does not match. */
  readonly type: '|=' | '!=' | '|~' | '!~';
  readonly value: string;
}

export interface LogSelection {
  readonly matchers: readonly LabelMatcher[];
  readonly lineFilters?: readonly LogLineFilter[];
  /** Inclusive, nanoseconds; defaults to the querier's range. */
  readonly startNs?: bigint;
  readonly endNs?: bigint;
  readonly direction: 'backward' | 'forward';
  readonly limit: number;
}

export interface StoredLogRecord extends LogRecord {
  readonly streamId: bigint;
}

/**
 * A line filter a store runs itself, as LogQL writes it: `|=` contains, `!=` does not contain,
 * `|~` an RE2 regex finds a match somewhere in the line (unanchored, `.` not matching a newline),
 * `!~` finds none. `values` is an `or` chain: for `|=`/`|~` the line passes when any value
 * matches, for `!=`/`!~` when none does (Loki's meaning of `!= "a" or "b"`).
 */
export interface LogLineMatch {
  readonly op: '|=' | '!=' | '|~' | '!~';
  readonly values: readonly string[];
}

/** What a LogQL query asks the store for: the stages SQL can run (see query/logql/plan.ts). */
export interface LogScan {
  readonly matchers: readonly LabelMatcher[];
  /** All must pass. */
  readonly lineFilters: readonly LogLineMatch[];
  /** Inclusive bounds in nanoseconds; the querier's range must cover them. */
  readonly startNs: bigint;
  readonly endNs: bigint;
  /** Order of the lines handed to the sink: by time, then stream id. */
  readonly direction: 'backward' | 'forward';
  /** At most this many lines (after the filters above); absent: all of them. */
  readonly limit?: number;
  /** False: the caller only counts lines, so each ScannedLine's `line` is '' (the text is not read). Default true. */
  readonly withText?: boolean;
}

/** One stored line as a scan returns it: its stream (id and labels), time and text. */
export interface ScannedLine {
  readonly streamId: bigint;
  readonly labels: Labels;
  readonly timeNs: bigint;
  readonly line: string;
}

/**
 * Receives a scan's lines in order, a batch at a time; returning false stops the scan (the store
 * interrupts the statement). Called one batch after another, never concurrently.
 */
export type ScanSink = (lines: readonly ScannedLine[]) => boolean;

/** What /loki/api/v1/index/stats reports: streams, storage blocks (partition × stream), lines and their bytes. */
export interface LogStats {
  readonly streams: number;
  readonly chunks: number;
  readonly entries: number;
  readonly bytes: number;
}

/**
 * Events that overlap the querier's range and satisfy every matcher (a matcher reads the event's
 * labels, then its own field of that name: reason, type, source, kind, name, namespace, uid),
 * newest last-seen first. The order is total (ties broken by every other field), so `offset`
 * pages through a fixed range without skipping or repeating an event.
 */
export interface EventSelection {
  readonly matchers?: readonly LabelMatcher[];
  readonly limit: number;
  /** Events to skip in that order (default 0). */
  readonly offset?: number;
}

/** Reads one tenant over one time range: nothing another tenant wrote is ever returned (see Store). */
export interface Querier {
  /** Series with at least one sample in range that satisfy every matcher, in label order (Prometheus'). */
  selectSeries(matchers: readonly LabelMatcher[], hints?: SelectHints): Promise<StoredSeries[]>;
  /** Series with at least one sample in range that satisfy every matcher, and those samples as columns; in label order. */
  selectSamples(matchers: readonly LabelMatcher[], hints?: SelectHints): Promise<SeriesSamples[]>;
  /** Log records whose stream satisfies the matchers and whose body passes every line filter. */
  selectLogs(selection: LogSelection): Promise<StoredLogRecord[]>;
  /**
   * Streams the lines a LogScan selects to `sink`, in the scan's direction, until the lines run
   * out, `scan.limit` is reached or the sink returns false. Filters are bound parameters; a regex
   * that is not valid RE2 rejects with 'bad_data' before anything runs.
   */
  scanLogs(scan: LogScan, sink: ScanSink): Promise<void>;
  /** Label sets of the streams with lines in the querier's range whose labels satisfy every matcher, sorted. */
  selectStreams(matchers: readonly LabelMatcher[]): Promise<Labels[]>;
  /** Loki's index stats of the lines a selector picks in [startNs, endNs] (inclusive). */
  logStats(matchers: readonly LabelMatcher[], startNs: bigint, endNs: bigint): Promise<LogStats>;
  selectEvents(selection: EventSelection): Promise<Event[]>;
  /** Label names of series in range (optionally only of series matching `matchers`), sorted. */
  labelNames(matchers?: readonly LabelMatcher[]): Promise<string[]>;
  /** Values of one label in range, sorted. */
  labelValues(name: string, matchers?: readonly LabelMatcher[]): Promise<string[]>;
  /** Stream label names / values for logs in range. */
  logLabelNames(): Promise<string[]>;
  logLabelValues(name: string): Promise<string[]>;
  metadata(metric?: string): Promise<MetricMetadata[]>;
}
