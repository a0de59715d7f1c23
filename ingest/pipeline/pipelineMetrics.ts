import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { RecordKind, RejectionEntry } from './rejections.js';

/** The push pipeline's own metrics, registered on the registry it is given. */
export interface PipelineMetrics {
  received(kind: RecordKind, count: number): void;
  accepted(kind: RecordKind, count: number): void;
  rejected(rejections: Iterable<RejectionEntry>): void;
  /** Starts a push timer; call the returned function with the outcome. */
  startPush(): (outcome: 'ok' | 'partial' | 'rejected' | 'error') => void;
}

/** Reuses a metric already on the registry (two pipelines may share one in tests or wiring). */
function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createPipelineMetrics(registry: Registry): PipelineMetrics {
  const received = once(
    registry,
    'vigil_ingest_received_total',
    () => new Counter({ name: 'vigil_ingest_received_total', help: 'Samples, log records and events received by the push pipeline.', labelNames: ['kind'], registers: [registry] }),
  );
  const accepted = once(
    registry,
    'vigil_ingest_accepted_total',
    () => new Counter({ name: 'vigil_ingest_accepted_total', help: 'Samples, log records and events published durably to the bus.', labelNames: ['kind'], registers: [registry] }),
  );
  const rejected = once(
    registry,
    'vigil_ingest_rejected_total',
    () => new Counter({ name: 'vigil_ingest_rejected_total', help: 'Samples, log records and events rejected, by reason.', labelNames: ['kind', 'reason'], registers: [registry] }),
  );
  const duration = once(
    registry,
    'vigil_ingest_push_duration_seconds',
    () =>
      new Histogram({
        name: 'vigil_ingest_push_duration_seconds',
        help: 'Time from a validated request to the bus acknowledging it.',
        labelNames: ['outcome'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
  );
  return {
    received: (kind, count) => {
      if (count > 0) received.inc({ kind }, count);
    },
    accepted: (kind, count) => {
      if (count > 0) accepted.inc({ kind }, count);
    },
    rejected: (rejections) => {
      for (const { kind, reason, count } of rejections) rejected.inc({ kind, reason }, count);
    },
    startPush: () => {
      const end = duration.startTimer();
      return (outcome) => {
        end({ outcome });
      };
    },
  };
}
