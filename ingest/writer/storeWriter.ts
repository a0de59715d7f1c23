import type { Logger } from 'pino';
import type { Counter, Histogram, Registry } from 'prom-client';
import { Counter as PromCounter, Gauge, Histogram as PromHistogram } from 'prom-client';
import type { Store } from '../../storage/index.js';
import type { Bus, ConsumedBatch, Consumer } from '../bus/bus.js';
import { TOPICS, topicPartition } from '../bus/bus.js';
import type { DecodedBusRecord } from '../codec/recordCodec.js';
import { decodeBusRecord } from '../codec/recordCodec.js';

export interface StoreWriterOptions {
  readonly bus: Bus;
  readonly store: Store;
  /** Consumer group name; offsets are kept in the store under it. */
  readonly group?: string;
  readonly topics?: readonly string[];
  /** Bus records per store transaction (each record carries up to ~10k samples or log lines). */
  readonly maxBatchRecords: number;
  readonly maxWaitMs: number;
  readonly registry: Registry;
  readonly logger: Logger;
}

/**
 * Moves batches from the bus into the store. Each consumed batch becomes one store transaction
 * that also records the consumed offset (Appender.setOffset), and the consumer starts from the
 * offsets the store holds: after a crash, a batch is either entirely in the store with its offset
 * or not at all, so nothing is duplicated or lost even though the bus is at-least-once.
 */
export class StoreWriter {
  private consumer: Consumer | undefined;
  private running = false;
  private readonly group: string;
  private readonly batches: Counter;
  private readonly rows: Counter;
  private readonly failures: Counter;
  private readonly badRecords: Counter;
  private readonly commitSeconds: Histogram;
  private readonly batchRecords: Histogram;
  private readonly lastBatchLag: Gauge;

  constructor(private readonly opts: StoreWriterOptions) {
    this.group = opts.group ?? 'vigil-store-writer';
    const registers = [opts.registry];
    this.batches = new PromCounter({ name: 'vigil_writer_batches_total', help: 'Bus batches written to the store.', labelNames: ['topic'], registers });
    this.rows = new PromCounter({ name: 'vigil_writer_rows_total', help: 'Samples, log records and events written to the store.', labelNames: ['kind'], registers });
    this.failures = new PromCounter({ name: 'vigil_writer_failures_total', help: 'Batches whose store transaction failed (they are retried).', labelNames: ['topic'], registers });
    this.badRecords = new PromCounter({
      name: 'vigil_writer_undecodable_records_total',
      help: 'Bus records that could not be decoded and were skipped (a poison record must not stop the writer).',
      labelNames: ['topic'],
      registers,
    });
    this.commitSeconds = new PromHistogram({
      name: 'vigil_writer_commit_duration_seconds',
      help: 'Time to write one bus batch into the store, including the commit.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.batchRecords = new PromHistogram({
      name: 'vigil_writer_batch_rows',
      help: 'Rows (samples, log records or events) per store transaction.',
      buckets: [10, 100, 1000, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000],
      registers,
    });
    this.lastBatchLag = new Gauge({ name: 'vigil_writer_lag_records', help: 'Bus records not yet consumed after the last batch.', labelNames: ['topic'], registers });
  }

  /** Starts consuming from the offsets the store committed. */
  async start(): Promise<void> {
    const startOffsets = await this.opts.store.committedOffsets(this.group);
    this.consumer = this.opts.bus.consumer({
      group: this.group,
      topics: this.opts.topics ?? [TOPICS.metrics, TOPICS.logs, TOPICS.events],
      maxBatchRecords: this.opts.maxBatchRecords,
      maxWaitMs: this.opts.maxWaitMs,
      startOffsets,
    });
    await this.consumer.run((batch) => this.write(batch));
    this.running = true;
    this.opts.logger.info({ group: this.group, startOffsets: Object.fromEntries([...startOffsets].map(([k, v]) => [k, v.toString()])) }, 'store writer consuming');
  }

  /** True while consuming. */
  isRunning(): boolean {
    return this.running;
  }

  private async drain(timeoutMs: number): Promise<void> {
    const topics = new Set(this.opts.topics ?? [TOPICS.metrics, TOPICS.logs, TOPICS.events]);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const stats = await this.opts.bus.stats();
      const behind = stats.filter((s) => topics.has(s.topic) && (s.committed.get(this.group) ?? 0n) < s.endOffset);
      if (behind.length === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    this.opts.logger.warn({ timeoutMs }, 'writer stopped before catching up with the bus; the rest is written at the next start');
  }

  private async write(batch: ConsumedBatch): Promise<void> {
    const end = this.commitSeconds.startTimer();
    const appender = this.opts.store.appender();
    const counts = { samples: 0, logs: 0, events: 0 };
    try {
      for (const record of batch.records) {
        let payload: DecodedBusRecord;
        try {
          payload = decodeBusRecord(record.value);
        } catch (err) {
          this.badRecords.inc({ topic: batch.topic });
          this.opts.logger.error({ err, topic: batch.topic, offset: record.offset.toString() }, 'skipping undecodable bus record');
          continue;
        }
        switch (payload.kind) {
          case 'metrics':
            appender.appendSampleColumns(payload.tenant, payload.columns);
            for (const m of payload.metadata) appender.appendMetadata(payload.tenant, m);
            counts.samples += payload.columns.t.length;
            break;
          case 'logs':
            appender.appendLogs(payload.tenant, payload.logs);
            counts.logs += payload.logs.length;
            break;
          case 'events':
            appender.appendEvents(payload.tenant, payload.events);
            counts.events += payload.events.length;
            break;
        }
      }
      appender.setOffset(this.group, topicPartition(batch.topic, batch.partition), batch.nextOffset);
      await appender.commit();
    } catch (err) {
      this.failures.inc({ topic: batch.topic });
      this.opts.logger.error({ err, topic: batch.topic, partition: batch.partition }, 'store write failed; the batch will be retried');
      await appender.rollback().catch(() => undefined);
      throw err;
    } finally {
      end();
    }
    // Counted only once committed: the metrics say what is in the store.
    for (const [kind, n] of Object.entries(counts)) if (n > 0) this.rows.inc({ kind }, n);
    this.batches.inc({ topic: batch.topic });
    this.batchRecords.observe(counts.samples + counts.logs + counts.events);
    this.lastBatchLag.set({ topic: batch.topic }, Number(batch.lag));
  }

  /**
   * Graceful stop: first lets the writer catch up with what the bus already acknowledged (up to
   * `drainTimeoutMs`), so a clean shutdown leaves the store complete; then stops after the batch
   * in flight. Whatever is left stays on the bus for the next start. Idempotent.
   */
  async shutdown(drainTimeoutMs = 10_000): Promise<void> {
    if (this.consumer !== undefined && this.running) await this.drain(drainTimeoutMs);
    this.running = false;
    const c = this.consumer;
    this.consumer = undefined;
    if (c !== undefined) await c.stop();
  }
}
