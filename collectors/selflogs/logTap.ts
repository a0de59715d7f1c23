import { AsyncLocalStorage } from 'node:async_hooks';
import os from 'node:os';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { LogRecord, WriteRequest } from '../../core/index.js';
import { DEFAULT_TENANT } from '../../core/index.js';
import { pinoLineToLogRecord } from './pinoLine.js';

export interface LogTapOptions {
  readonly registry: Registry;
  /** Where every line is written as well (default process.stdout). */
  readonly out?: { write(chunk: string): unknown };
  readonly tenant?: string;
  /** Stream label `job` (default 'vigil'). */
  readonly job?: string;
  readonly hostname?: string;
  /** Records waiting for the sink beyond this are dropped and counted (default 10,000). */
  readonly maxQueue?: number;
  /** Records per WriteRequest (default 1,000). */
  readonly maxBatch?: number;
  /** How often queued records are shipped (default 1 s). */
  readonly flushIntervalMs?: number;
  readonly now?: () => number;
}

/**
 * A pino destination that ships Vigil's own logs into Vigil. Every line goes to `out` as
 * before; it is also turned into a LogRecord and queued, and queued records go to the sink in
 * batches. The queue is bounded (when full, records are dropped and counted: logging never
 * blocks or grows memory without bound). Lines logged while a batch is being shipped — by the
 * sink or anything it calls, however deep — are written to `out` but not queued, so shipping
 * logs can never produce more logs to ship.
 *
 * Lifecycle: lines queue from creation; start(sink) begins shipping; forceFlush() ships all
 * queued records; shutdown() flushes once more and stops (idempotent).
 */
export interface LogTap {
  /** Pass to pino as its destination: `pino(options, tap.stream)`. */
  readonly stream: { write(line: string): void };
  start(sink: (req: WriteRequest) => Promise<unknown>): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function createLogTap(opts: LogTapOptions): LogTap {
  const out = opts.out ?? process.stdout;
  const maxQueue = opts.maxQueue ?? 10_000;
  const maxBatch = opts.maxBatch ?? 1_000;
  const flushIntervalMs = opts.flushIntervalMs ?? 1_000;
  const now = opts.now ?? Date.now;
  const ctx = { job: opts.job ?? 'vigil', hostname: opts.hostname ?? os.hostname() };
  const tenant = opts.tenant ?? DEFAULT_TENANT;

  const shipped = new Counter({ name: 'vigil_self_logs_shipped_total', help: 'Own log records handed to the sink.', registers: [opts.registry] });
  const dropped = new Counter({
    name: 'vigil_self_logs_dropped_total',
    help: 'Own log records not shipped: the queue was full, or the sink failed.',
    labelNames: ['reason'] as const,
    registers: [opts.registry],
  });
  const suppressed = new Counter({
    name: 'vigil_self_logs_suppressed_total',
    help: 'Own log lines written while shipping logs, kept out of the queue to avoid a loop.',
    registers: [opts.registry],
  });
  const queued = new Gauge({ name: 'vigil_self_logs_queued', help: 'Own log records waiting for the sink.', registers: [opts.registry] });

  const shipping = new AsyncLocalStorage<true>();
  let queue: LogRecord[] = [];
  let sink: ((req: WriteRequest) => Promise<unknown>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let flushSoon = false;
  let stopped = false;

  const shipOneBatch = async (): Promise<void> => {
    const send = sink;
    if (send === undefined || queue.length === 0) return;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    queued.set(queue.length);
    try {
      await shipping.run(true, () => send({ tenant, series: [], metadata: [], logs: batch, events: [] }));
      shipped.inc(batch.length);
    } catch {
      // Not retried: a sink that fails now would only fill the queue; the lines are on `out` anyway.
      dropped.inc({ reason: 'sink_error' }, batch.length);
    }
  };

  /** Ships queued records, one batch at a time; concurrent callers share the run in progress. */
  const flush = (): Promise<void> => {
    if (flushing === undefined) {
      flushing = (async () => {
        while (sink !== undefined && queue.length > 0) await shipOneBatch();
      })().finally(() => (flushing = undefined));
    }
    return flushing;
  };

  const write = (chunk: string): void => {
    out.write(chunk);
    if (stopped) return;
    if (shipping.getStore() === true) {
      suppressed.inc();
      return;
    }
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      if (queue.length >= maxQueue) {
        dropped.inc({ reason: 'queue_full' });
        continue;
      }
      queue.push(pinoLineToLogRecord(line, { ...ctx, nowMs: now() }));
    }
    queued.set(queue.length);
    if (queue.length >= maxBatch && sink !== undefined && !flushSoon) {
      // Never ship from inside write(): the caller is logging, not waiting for I/O.
      flushSoon = true;
      setImmediate(() => {
        flushSoon = false;
        void flush();
      }).unref();
    }
  };

  return {
    stream: { write },
    start(s) {
      if (sink !== undefined || stopped) return;
      sink = s;
      const tick = (): void => {
        void flush().then(() => {
          if (stopped) return;
          timer = setTimeout(tick, flushIntervalMs);
          timer.unref();
        });
      };
      timer = setTimeout(tick, flushIntervalMs);
      timer.unref();
    },
    forceFlush: flush,
    async shutdown() {
      if (stopped) return;
      if (timer !== undefined) clearTimeout(timer);
      await flush();
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
