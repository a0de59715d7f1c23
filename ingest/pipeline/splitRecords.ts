import type { Event, LogRecord, MetricMetadata, TimeSeries } from '../../core/index.js';

/** Bounds on one bus record, so that a huge request never becomes one huge record. */
export interface RecordBounds {
  /** Samples per metrics record (a longer series is split across records). */
  readonly maxSamples: number;
  /** Log records or events per record. */
  readonly maxEntries: number;
  /** Log body bytes (UTF-16 length as an estimate) per record. */
  readonly maxLogChars: number;
}

export const DEFAULT_RECORD_BOUNDS: RecordBounds = { maxSamples: 10_000, maxEntries: 10_000, maxLogChars: 4 * 1024 * 1024 };

export interface MetricsChunk {
  readonly series: TimeSeries[];
  readonly metadata: readonly MetricMetadata[];
}

/** Splits series into chunks of at most `maxSamples` samples; metadata rides with the first chunk. */
export function splitSeries(series: readonly TimeSeries[], metadata: readonly MetricMetadata[], bounds: RecordBounds): MetricsChunk[] {
  const chunks: MetricsChunk[] = [];
  let current: TimeSeries[] = [];
  let room = bounds.maxSamples;
  const flush = (): void => {
    chunks.push({ series: current, metadata: chunks.length === 0 ? metadata : [] });
    current = [];
    room = bounds.maxSamples;
  };
  for (const s of series) {
    let offset = 0;
    while (s.samples.length - offset > room) {
      if (room > 0) current.push({ labels: s.labels, samples: s.samples.slice(offset, offset + room) });
      offset += room;
      flush();
    }
    if (offset < s.samples.length || s.samples.length === 0) {
      current.push(offset === 0 ? s : { labels: s.labels, samples: s.samples.slice(offset) });
      room -= s.samples.length - offset;
    }
  }
  if (current.length > 0 || (chunks.length === 0 && metadata.length > 0)) flush();
  return chunks;
}

/** Splits log records by count and by body size. */
export function splitLogs(logs: readonly LogRecord[], bounds: RecordBounds): LogRecord[][] {
  const chunks: LogRecord[][] = [];
  let current: LogRecord[] = [];
  let chars = 0;
  for (const r of logs) {
    if (current.length > 0 && (current.length >= bounds.maxEntries || chars + r.body.length > bounds.maxLogChars)) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(r);
    chars += r.body.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function splitEvents(events: readonly Event[], bounds: RecordBounds): Event[][] {
  const chunks: Event[][] = [];
  for (let i = 0; i < events.length; i += bounds.maxEntries) chunks.push(events.slice(i, i + bounds.maxEntries));
  return chunks;
}
