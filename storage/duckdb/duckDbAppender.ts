import type { Event, LogRecord, MetricMetadata, SampleColumns, TimeSeries } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import type { Appender } from '../store.js';
import { Batch } from './batch.js';

/** Commits a buffered batch in one transaction (the store's writer). */
export type BatchCommitter = (batch: Batch) => Promise<void>;

/**
 * Buffers one batch in memory; commit() hands it to the store's writer, which writes all of it
 * (data, new series, offsets) in one DuckDB transaction. Input is checked as it is appended, so
 * a bad record throws at the append call and nothing of it is buffered.
 */
export class DuckDbAppender implements Appender {
  private batch: Batch | undefined;

  constructor(private readonly committer: BatchCommitter) {
    this.batch = new Batch();
  }

  appendSeries(tenant: string, series: TimeSeries): void {
    this.open().addSeries(tenant, series);
  }

  appendSampleColumns(tenant: string, columns: SampleColumns): void {
    this.open().addSampleColumns(tenant, columns);
  }

  appendMetadata(tenant: string, metadata: MetricMetadata): void {
    this.open().addMetadata(tenant, metadata);
  }

  appendLogs(tenant: string, logs: readonly LogRecord[]): void {
    this.open().addLogs(tenant, logs);
  }

  appendEvents(tenant: string, events: readonly Event[]): void {
    this.open().addEvents(tenant, events);
  }

  setOffset(group: string, topicPartition: string, nextOffset: bigint): void {
    this.open().setOffset(group, topicPartition, nextOffset);
  }

  async commit(): Promise<void> {
    const batch = this.open();
    this.batch = undefined;
    if (batch.isEmpty()) return;
    await this.committer(batch);
  }

  async rollback(): Promise<void> {
    this.open();
    this.batch = undefined;
  }

  private open(): Batch {
    if (this.batch === undefined) throw new VigilError('conflict', 'appender already committed or rolled back');
    return this.batch;
  }
}
