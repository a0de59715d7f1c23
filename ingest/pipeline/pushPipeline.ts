import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger, Limits, WriteRequest } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import type { BusRecord, Producer } from '../bus/bus.js';
import { TOPICS } from '../bus/bus.js';
import { encodePayload } from '../codec/recordCodec.js';
import type { Registry } from 'prom-client';
import { createPipelineMetrics } from './pipelineMetrics.js';
import type { RejectionCounts } from './rejections.js';
import { Rejections } from './rejections.js';
import type { RecordBounds } from './splitRecords.js';
import { DEFAULT_RECORD_BOUNDS, splitEvents, splitLogs, splitSeries } from './splitRecords.js';
import { validateWriteRequest } from './validateWriteRequest.js';

export interface PushPipelineOptions {
  readonly producer: Producer;
  readonly limits: Limits;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Clock for timestamp checks (milliseconds); tests pass a fixed one. */
  readonly now?: () => number;
  /** Bounds on one bus record; defaults to ~10k samples / 10k entries / 4 MiB of log text. */
  readonly recordBounds?: RecordBounds;
}

/** The outcome of an accepted push: what is now durable, and what was dropped and why. */
export interface PushResult {
  readonly accepted: RejectionCounts;
  readonly rejected: RejectionCounts;
  /** The first few rejection messages joined into one line; empty when nothing was rejected. */
  readonly errorMessage: string;
}

export interface PushPipeline {
  /**
   * Validates `req`, publishes what is valid (one or more bus records per record kind, key =
   * tenant) and resolves once the bus acknowledged it, i.e. once it is durable.
   * `receiverRejections` carries what the receiver already refused while parsing, so that it is
   * counted and reported with the rest.
   *
   * Some records invalid: resolves with them counted in `rejected` (partial success).
   * Nothing valid left: rejects with VigilError 'limit_exceeded' (every rejection was a limit)
   * or 'bad_data', naming the first problems. Bus backpressure: rejects with the bus' error
   * ('too_many_requests' with retryAfterMs). Safe to call concurrently.
   */
  push(req: WriteRequest, receiverRejections?: Rejections): Promise<PushResult>;
}

export function createPushPipeline(options: PushPipelineOptions): PushPipeline {
  const { producer, limits, logger } = options;
  const now = options.now ?? Date.now;
  const bounds = options.recordBounds ?? DEFAULT_RECORD_BOUNDS;
  const metrics = createPipelineMetrics(options.registry);

  // Spans cost nothing unless tracing is enabled (the API is a no-op without an SDK).
  const tracer = trace.getTracer('vigil.ingest');
  function tracedPush(req: WriteRequest, receiverRejections?: Rejections): Promise<PushResult> {
    return tracer.startActiveSpan('ingest.push', async (span) => {
      span.setAttribute('vigil.tenant', req.tenant);
      try {
        const result = await push(req, receiverRejections);
        span.setAttributes({ 'vigil.accepted.samples': result.accepted.samples, 'vigil.accepted.logs': result.accepted.logs, 'vigil.rejected': result.rejected.samples + result.rejected.logs + result.rejected.events });
        return result;
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  async function push(req: WriteRequest, receiverRejections?: Rejections): Promise<PushResult> {
    if (typeof req.tenant !== 'string' || req.tenant.length === 0) throw new VigilError('bad_data', 'write request has no tenant');
    const done = metrics.startPush();
    const rejections = new Rejections();
    if (receiverRejections !== undefined) rejections.merge(receiverRejections);
    let received = 0;
    for (const s of req.series) received += s.samples.length;
    metrics.received('samples', received + (receiverRejections?.counts.samples ?? 0));
    metrics.received('logs', req.logs.length + (receiverRejections?.counts.logs ?? 0));
    metrics.received('events', req.events.length + (receiverRejections?.counts.events ?? 0));

    const valid = validateWriteRequest(req, limits, now(), rejections);
    metrics.rejected(rejections);
    const accepted: RejectionCounts = { samples: valid.sampleCount, logs: valid.logs.length, events: valid.events.length };
    if (accepted.samples + accepted.logs + accepted.events === 0 && rejections.total > 0) {
      done('rejected');
      logger.debug({ tenant: req.tenant, rejected: rejections.counts, first: rejections.messages[0] }, 'push rejected');
      throw new VigilError(rejections.allLimits ? 'limit_exceeded' : 'bad_data', `all ${rejections.total} records rejected: ${rejections.summary()}`);
    }

    try {
      await publish(req.tenant, valid);
    } catch (err) {
      done('error');
      throw err;
    }
    metrics.accepted('samples', accepted.samples);
    metrics.accepted('logs', accepted.logs);
    metrics.accepted('events', accepted.events);
    done(rejections.total > 0 ? 'partial' : 'ok');
    if (rejections.total > 0) logger.debug({ tenant: req.tenant, rejected: rejections.counts, first: rejections.messages[0] }, 'push partially rejected');
    return { accepted, rejected: { ...rejections.counts }, errorMessage: rejections.total > 0 ? rejections.summary() : '' };
  }

  async function publish(tenant: string, valid: ReturnType<typeof validateWriteRequest>): Promise<void> {
    const sends: Promise<void>[] = [];
    const send = (topic: string, records: BusRecord[]): void => {
      if (records.length > 0) sends.push(producer.send(topic, records));
    };
    send(
      TOPICS.metrics,
      splitSeries(valid.series, valid.metadata, bounds).map((c) => ({ key: tenant, value: encodePayload({ kind: 'metrics', tenant, series: c.series, metadata: c.metadata }) })),
    );
    send(TOPICS.logs, splitLogs(valid.logs, bounds).map((logs) => ({ key: tenant, value: encodePayload({ kind: 'logs', tenant, logs }) })));
    send(TOPICS.events, splitEvents(valid.events, bounds).map((events) => ({ key: tenant, value: encodePayload({ kind: 'events', tenant, events }) })));
    // Wait for every topic even when one fails, so no send is left floating; then report the first failure.
    const results = await Promise.allSettled(sends);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }

  return { push: tracedPush };
}
