import type { Logger } from 'pino';
import type { BatchHandler, ConsumedBatch } from '../bus.js';
import type { PartitionLog } from './partitionLog.js';

export interface PartitionLoopOptions {
  readonly group: string;
  readonly maxBatchRecords: number;
  readonly maxWaitMs: number;
  readonly maxBatchBytes: number;
  readonly backoffMs: { readonly initial: number; readonly max: number };
  readonly logger: Logger;
  /** Persists the group's position after a batch was handled. */
  readonly commit: (nextOffset: bigint) => Promise<void>;
  readonly onBatch?: (records: number) => void;
  readonly onRedelivery?: () => void;
}

/**
 * Delivers one partition's records to `handler`, one batch at a time, until `signal` aborts:
 * wait for a durable record at `position` (woken by the fsync that makes it durable), then up
 * to `maxWaitMs` more for a full batch, hand it over, commit `nextOffset` once the handler
 * resolves. A rejected batch is delivered again, unchanged, after a growing pause. An abort
 * lets the batch in flight finish (and be committed) but starts no new one. Never rejects.
 */
export async function runPartitionLoop(log: PartitionLog, start: bigint, handler: BatchHandler, signal: AbortSignal, options: PartitionLoopOptions): Promise<void> {
  let position = start;
  while (!signal.aborted) {
    if (position < log.startOffset) {
      options.logger.warn({ position: position.toString(), start: log.startOffset.toString() }, 'bus position is before the oldest segment; continuing from there');
      position = log.startOffset;
    }
    if (!(await log.waitForDurable(position + 1n, signal))) break;
    const wanted = position + BigInt(options.maxBatchRecords);
    if (log.durableEnd < wanted && options.maxWaitMs > 0) await log.waitForDurable(wanted, signal, options.maxWaitMs);
    if (signal.aborted) break;
    let batch: ConsumedBatch | undefined;
    try {
      batch = readBatch(log, position, options);
    } catch (err) {
      options.logger.error({ err, position: position.toString() }, 'bus read failed; retrying');
      await pause(options.backoffMs.max, signal);
      continue;
    }
    if (batch === undefined) {
      options.logger.error({ position: position.toString(), durableEnd: log.durableEnd.toString() }, 'bus has no record at a durable position; skipping to the end');
      position = log.durableEnd;
      continue;
    }
    if (!(await deliver(batch, handler, signal, options))) break;
    try {
      await options.commit(batch.nextOffset);
    } catch (err) {
      // The batch was processed; a lost commit only means it may be delivered again after a restart.
      options.logger.error({ err, nextOffset: batch.nextOffset.toString() }, 'bus offset commit failed');
    }
    position = batch.nextOffset;
  }
}

function readBatch(log: PartitionLog, position: bigint, options: PartitionLoopOptions): ConsumedBatch | undefined {
  const records = log.read(position, options.maxBatchRecords, options.maxBatchBytes);
  const last = records[records.length - 1];
  if (last === undefined) return undefined;
  const nextOffset = last.offset + 1n;
  const lag = log.durableEnd - nextOffset;
  return { topic: log.topic, partition: log.partition, records, nextOffset, lag: lag > 0n ? lag : 0n };
}

/** Hands `batch` to the handler until it resolves (true) or the loop is stopped (false). */
async function deliver(batch: ConsumedBatch, handler: BatchHandler, signal: AbortSignal, options: PartitionLoopOptions): Promise<boolean> {
  options.onBatch?.(batch.records.length);
  let pauseMs = options.backoffMs.initial;
  for (;;) {
    try {
      await handler(batch);
      return true;
    } catch (err) {
      options.logger.warn({ err, offset: batch.records[0]?.offset.toString(), records: batch.records.length }, 'bus handler rejected a batch; delivering it again');
    }
    if (signal.aborted) return false;
    await pause(pauseMs, signal);
    if (signal.aborted) return false;
    pauseMs = Math.min(Math.max(pauseMs * 2, 1), options.backoffMs.max);
    options.onRedelivery?.();
  }
}

/** Sleeps `ms`, or less if `signal` aborts. Not unref'ed: a redelivery is pending work. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
