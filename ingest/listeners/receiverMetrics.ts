import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** What happened to one frame (a syslog message, a Graphite/Wavefront line) a receiver read. */
export type FrameOutcome = 'accepted' | 'invalid' | 'too_large' | 'dropped';

/**
 * Per-receiver self-metrics of the socket and HTTP receivers, beside the pipeline's own
 * (vigil_ingest_*), labelled `receiver` ("syslog", "graphite", "wavefront", "loki", "jsonline").
 */
export interface ReceiverMetrics {
  frames(receiver: string, outcome: FrameOutcome, count?: number): void;
  connectionOpened(receiver: string): void;
  connectionClosed(receiver: string): void;
  connectionRefused(receiver: string): void;
  request(receiver: string, status: number): void;
}

function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createReceiverMetrics(registry: Registry): ReceiverMetrics {
  const frames = once(
    registry,
    'vigil_receiver_frames_total',
    () =>
      new Counter({
        name: 'vigil_receiver_frames_total',
        help: 'Messages and lines read by a socket receiver, by outcome: accepted (queued for the pipeline), invalid, too_large, dropped (UDP while the bus pushed back).',
        labelNames: ['receiver', 'outcome'],
        registers: [registry],
      }),
  );
  const connections = once(
    registry,
    'vigil_receiver_connections',
    () => new Gauge({ name: 'vigil_receiver_connections', help: 'Open TCP connections per socket receiver.', labelNames: ['receiver'], registers: [registry] }),
  );
  const refused = once(
    registry,
    'vigil_receiver_connections_refused_total',
    () =>
      new Counter({
        name: 'vigil_receiver_connections_refused_total',
        help: 'TCP connections closed on arrival because the receiver was at its connection limit.',
        labelNames: ['receiver'],
        registers: [registry],
      }),
  );
  const requests = once(
    registry,
    'vigil_receiver_requests_total',
    () => new Counter({ name: 'vigil_receiver_requests_total', help: 'HTTP push requests per receiver and status code.', labelNames: ['receiver', 'code'], registers: [registry] }),
  );
  return {
    frames: (receiver, outcome, count = 1) => frames.inc({ receiver, outcome }, count),
    connectionOpened: (receiver) => connections.inc({ receiver }),
    connectionClosed: (receiver) => connections.dec({ receiver }),
    connectionRefused: (receiver) => refused.inc({ receiver }),
    request: (receiver, status) => requests.inc({ receiver, code: String(status) }),
  };
}
