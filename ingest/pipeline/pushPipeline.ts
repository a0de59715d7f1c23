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
import { IngestLimiter } from '../limits/ingestLimiter.js';
import type { LimitedWrite } from '../limits/ingestLimiter.js';

export interface PushPipelineOptions {
  readonly producer: Producer;
  readonly limits: Limits;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Clock for timestamp checks and the per-tenant limits (milliseconds); tests pass a fixed one. */
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
   * or 'bad_data', naming the first problems. Bus backpressure or the tenant's ingestion rate
   * (limits.ingestRate): rejects with 'too_many_requests' and retryAfterMs. New series beyond the
   * tenant's limits.maxActiveSeries are rejected like invalid ones. Safe to call concurrently.
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
  const limiter = new IngestLimiter({ limits, registry: options.registry });

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

  async function publish(validated: PreparedWrite): Promise<PushResult> {
    const { tenant, received } = validated;
    // A request without a tenant is refused before anything is counted, as it always was.
    if (tenant === '' && validated.error !== undefined) throw new VigilError(validated.error.code, validated.error.message);
    const done = metrics.startPush();
    metrics.received('samples', received.samples);
    metrics.received('logs', received.logs);
    metrics.received('events', received.events);
    metrics.rejected(validated.rejections);
    if (validated.error !== undefined) {
      done('rejected');
      logger.debug({ tenant, rejected: validated.rejected, first: validated.rejections[0]?.message }, 'push rejected');
      throw new VigilError(validated.error.code, validated.error.message);
    }
    let limited: LimitedWrite;
    try {
      limited = limiter.apply(validated, now());
    } catch (err) {
      done('rejected');
      logger.debug({ tenant, error: (err as Error).message }, 'push refused by a tenant limit');
      throw err;
    }
    metrics.rejected(limited.rejections);
    const { prepared } = limited;
    const { accepted, rejected } = prepared;
    const rejectedTotal = rejected.samples + rejected.logs + rejected.events;

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
