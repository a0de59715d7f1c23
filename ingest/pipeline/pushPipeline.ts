import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger, Limits, WriteRequest } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import type { Producer } from '../bus/bus.js';
import type { Registry } from 'prom-client';
import { createPipelineMetrics } from './pipelineMetrics.js';
import type { PrepareContext, PreparedWrite } from './prepareWrite.js';
import { prepareWrite } from './prepareWrite.js';
import type { RejectionCounts, Rejections } from './rejections.js';
import type { RecordBounds } from './splitRecords.js';
import { DEFAULT_RECORD_BOUNDS } from './splitRecords.js';

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
   * tenant) and resolves once the bus acknowledged it, i.e. once it is durable: the same as
   * `publish(prepareWrite(req, context(), receiverRejections))`.
   * `receiverRejections` carries what the receiver already refused while parsing, so that it is
   * counted and reported with the rest.
   *
   * Some records invalid: resolves with them counted in `rejected` (partial success).
   * Nothing valid left: rejects with VigilError 'limit_exceeded' (every rejection was a limit)
   * or 'bad_data', naming the first problems. Bus backpressure: rejects with the bus' error
   * ('too_many_requests' with retryAfterMs). Safe to call concurrently.
   */
  push(req: WriteRequest, receiverRejections?: Rejections): Promise<PushResult>;
  /**
   * The main-thread half of push, for requests prepared elsewhere (e.g. in a decode worker, with
   * the context below): counts the metrics, sends the records and resolves once they are
   * durable. Rejects with the prepared error as a VigilError, or with the bus' error.
   */
  publish(prepared: PreparedWrite): Promise<PushResult>;
  /** The limits, record bounds and current time prepareWrite must use for this pipeline. */
  context(): PrepareContext;
}

export function createPushPipeline(options: PushPipelineOptions): PushPipeline {
  const { producer, limits, logger } = options;
  const now = options.now ?? Date.now;
  const bounds = options.recordBounds ?? DEFAULT_RECORD_BOUNDS;
  const metrics = createPipelineMetrics(options.registry);
  const context = (): PrepareContext => ({ limits, nowMs: now(), bounds });

  // Spans cost nothing unless tracing is enabled (the API is a no-op without an SDK).
  const tracer = trace.getTracer('vigil.ingest');
  function traced(tenant: string, run: () => Promise<PushResult>): Promise<PushResult> {
    return tracer.startActiveSpan('ingest.push', async (span) => {
      span.setAttribute('vigil.tenant', tenant);
      try {
        const result = await run();
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

  async function publish(prepared: PreparedWrite): Promise<PushResult> {
    const { tenant, received, accepted, rejected } = prepared;
    // A request without a tenant is refused before anything is counted, as it always was.
    if (tenant === '' && prepared.error !== undefined) throw new VigilError(prepared.error.code, prepared.error.message);
    const done = metrics.startPush();
    metrics.received('samples', received.samples);
    metrics.received('logs', received.logs);
    metrics.received('events', received.events);
    metrics.rejected(prepared.rejections);
    const rejectedTotal = rejected.samples + rejected.logs + rejected.events;
    if (prepared.error !== undefined) {
      done('rejected');
      logger.debug({ tenant, rejected, first: prepared.rejections[0]?.message }, 'push rejected');
      throw new VigilError(prepared.error.code, prepared.error.message);
    }

    try {
      await send(prepared);
    } catch (err) {
      done('error');
      throw err;
    }
    metrics.accepted('samples', accepted.samples);
    metrics.accepted('logs', accepted.logs);
    metrics.accepted('events', accepted.events);
    done(rejectedTotal > 0 ? 'partial' : 'ok');
    if (rejectedTotal > 0) logger.debug({ tenant, rejected, first: prepared.rejections[0]?.message }, 'push partially rejected');
    return { accepted: { ...accepted }, rejected: { ...rejected }, errorMessage: prepared.errorMessage };
  }

  async function send(prepared: PreparedWrite): Promise<void> {
    const key = prepared.tenant;
    const sends = prepared.topics.map((t) => producer.send(t.topic, t.values.map((value) => ({ key, value }))));
    // Wait for every topic even when one fails, so no send is left floating; then report the first failure.
    const results = await Promise.allSettled(sends);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }

  return {
    push: (req, receiverRejections) => traced(req.tenant, () => publish(prepareWrite(req, context(), receiverRejections))),
    publish: (prepared) => traced(prepared.tenant, () => publish(prepared)),
    context,
  };
}
