import type { Limits, WriteRequest } from '../../core/index.js';
import { tenantLimits, toSampleColumns } from '../../core/index.js';
import type { VigilErrorCode } from '../../core/index.js';
import { TOPICS } from '../bus/bus.js';
import { encodeMetricsColumns, encodePayload } from '../codec/recordCodec.js';
import { seriesIdWordsOf } from '../limits/seriesIdWords.js';
import type { RejectionCounts, RejectionEntry } from './rejections.js';
import { Rejections } from './rejections.js';
import type { MetricsChunk, RecordBounds } from './splitRecords.js';
import { splitEvents, splitLogs, splitSeries } from './splitRecords.js';
import { validateWriteRequest } from './validateWriteRequest.js';

/** What prepareWrite needs besides the request: the same for every request of a pipeline. */
export interface PrepareContext {
  readonly limits: Limits;
  /** "Now" for timestamp checks, milliseconds since the epoch. */
  readonly nowMs: number;
  readonly bounds: RecordBounds;
}

/** The encoded bus records for one topic, all keyed by the request's tenant. */
export interface PreparedTopic {
  readonly topic: string;
  readonly values: Uint8Array[];
}

/**
 * A validated, split and encoded write request, ready to publish. Plain data only (strings,
 * numbers, arrays, Uint8Arrays), so that it can cross a worker_threads boundary with its record
 * buffers transferred.
 */
export interface PreparedWrite {
  readonly tenant: string;
  /** Topics with at least one record. */
  readonly topics: PreparedTopic[];
  readonly received: RejectionCounts;
  readonly accepted: RejectionCounts;
  readonly rejected: RejectionCounts;
  /** Count and first message per kind and reason (for the rejected_total metric and logs). */
  readonly rejections: RejectionEntry[];
  /** The first rejection messages joined into one line; empty when nothing was rejected. */
  readonly errorMessage: string;
  /**
   * Per metrics record (in the order of the metrics topic's values), the series ids of its series
   * as Uint32 words (high, low): what the cardinality limits check. Absent when the tenant has
   * neither an active-series nor a label-values limit.
   */
  readonly seriesIds?: readonly Uint32Array[];
  /** Set when nothing valid remains (or the request is unusable): publish throws it as a VigilError. */
  readonly error?: { readonly code: VigilErrorCode; readonly message: string };
}

const NONE: RejectionCounts = { samples: 0, logs: 0, events: 0 };

/**
 * The CPU-heavy, side-effect-free half of a push: validates `req` against the limits, splits
 * what is valid into bounded records and encodes their bus payloads. Never throws for bad data:
 * a request with nothing valid left comes back with `error` ('limit_exceeded' when every
 * rejection was a configured limit, else 'bad_data'). `receiverRejections` are what the receiver
 * refused while parsing; they are counted and reported with the rest.
 */
export function prepareWrite(req: WriteRequest, context: PrepareContext, receiverRejections?: Rejections): PreparedWrite {
  if (typeof req.tenant !== 'string' || req.tenant.length === 0) {
    return { tenant: '', topics: [], received: NONE, accepted: NONE, rejected: NONE, rejections: [], errorMessage: '', error: { code: 'bad_data', message: 'write request has no tenant' } };
  }
  const rejections = new Rejections();
  if (receiverRejections !== undefined) rejections.merge(receiverRejections);
  let samples = 0;
  for (const s of req.series) samples += s.samples.length;
  const received: RejectionCounts = {
    samples: samples + rejections.counts.samples,
    logs: req.logs.length + rejections.counts.logs,
    events: req.events.length + rejections.counts.events,
  };

  const valid = validateWriteRequest(req, context.limits, context.nowMs, rejections);
  const accepted: RejectionCounts = { samples: valid.sampleCount, logs: valid.logs.length, events: valid.events.length };
  const base = { tenant: req.tenant, received, accepted, rejected: { ...rejections.counts }, rejections: [...rejections.byReason.values()].map((e) => ({ ...e })) };
  const errorMessage = rejections.total > 0 ? rejections.summary() : '';
  if (accepted.samples + accepted.logs + accepted.events === 0 && rejections.total > 0) {
    const code: VigilErrorCode = rejections.allLimits ? 'limit_exceeded' : 'bad_data';
    return { ...base, topics: [], errorMessage, error: { code, message: `all ${rejections.total} records rejected: ${errorMessage}` } };
  }

  const { tenant } = req;
  const { bounds } = context;
  const topics: PreparedTopic[] = [];
  const add = (topic: string, values: Uint8Array[]): void => {
    if (values.length > 0) topics.push({ topic, values });
  };
  // Series ids are taken here, off the main thread, from the columns about to be encoded.
  const cardinality = tenantLimits(context.limits, tenant);
  const seriesIds: Uint32Array[] | undefined = cardinality.maxActiveSeries > 0 || cardinality.maxLabelValuesPerName > 0 ? [] : undefined;
  const metricsRecord = (c: MetricsChunk): Uint8Array => {
    const columns = toSampleColumns(c.series);
    seriesIds?.push(seriesIdWordsOf(columns));
    return encodeMetricsColumns(tenant, columns, c.metadata);
  };
  add(TOPICS.metrics, splitSeries(valid.series, valid.metadata, bounds).map(metricsRecord));
  add(TOPICS.logs, splitLogs(valid.logs, bounds).map((logs) => encodePayload({ kind: 'logs', tenant, logs })));
  add(TOPICS.events, splitEvents(valid.events, bounds).map((events) => encodePayload({ kind: 'events', tenant, events })));
  return seriesIds === undefined ? { ...base, topics, errorMessage } : { ...base, topics, errorMessage, seriesIds };
}
