import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/** What every receiver counts about its requests, apart from what the shared pipeline counts about records. */
export interface ReceiverMetrics {
  /** One request answered with HTTP `status`. */
  answered(status: number): void;
  /** Bytes of request body as received (before decompression). */
  receivedBytes(n: number): void;
}

function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Per-receiver request metrics: `vigil_ingest_requests_total{receiver, code}` and
 * `vigil_ingest_request_bytes_total{receiver}`. The labels are bounded: receivers are a fixed
 * list and codes are HTTP statuses.
 */
export function createReceiverMetrics(registry: Registry, receiver: string): ReceiverMetrics {
  const requests = once(
    registry,
    'vigil_ingest_requests_total',
    () => new Counter({ name: 'vigil_ingest_requests_total', help: 'Push requests answered, by receiver and HTTP status.', labelNames: ['receiver', 'code'], registers: [registry] }),
  );
  const bytes = once(
    registry,
    'vigil_ingest_request_bytes_total',
    () => new Counter({ name: 'vigil_ingest_request_bytes_total', help: 'Request body bytes received (before decompression), by receiver.', labelNames: ['receiver'], registers: [registry] }),
  );
  return {
    answered: (status) => requests.inc({ receiver, code: String(status) }),
    receivedBytes: (n) => {
      if (n > 0) bytes.inc({ receiver }, n);
    },
  };
}
