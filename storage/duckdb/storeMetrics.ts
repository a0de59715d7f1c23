import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The store's own metrics, registered in the registry it is given. */
export class StoreMetrics {
  readonly rowsAppended: Counter<'table'>;
  readonly commitDuration: Histogram;
  readonly commitFailures: Counter;
  readonly queryDuration: Histogram<'op'>;
  readonly partitions: Gauge<'kind'>;
  readonly dropped: Counter<'kind' | 'reason'>;
  readonly samplesRead: Counter;
  readonly readsCanceled: Counter<'op'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.rowsAppended = new Counter({ name: 'vigil_store_rows_appended_total', help: 'Rows committed to the store, per table.', labelNames: ['table'], registers });
    this.commitDuration = new Histogram({
      name: 'vigil_store_commit_duration_seconds',
      help: 'Time to write and commit one appender batch.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.commitFailures = new Counter({ name: 'vigil_store_commit_failures_total', help: 'Appender commits that failed and were rolled back.', registers });
    this.queryDuration = new Histogram({
      name: 'vigil_store_query_duration_seconds',
      help: 'Time to answer one querier call, per operation.',
      labelNames: ['op'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.dropped = new Counter({
      name: 'vigil_store_dropped_total',
      help: 'Samples, log records and events the store did not write, by reason (outside_retention: older than the retention at write time, e.g. replayed from the bus).',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.samplesRead = new Counter({
      name: 'vigil_store_samples_read_total',
      help: 'Samples selectSamples fetched from DuckDB into memory; a read over its budget stops at the first chunk past it.',
      registers,
    });
    this.readsCanceled = new Counter({
      name: 'vigil_store_reads_canceled_total',
      help: "Querier calls stopped because their query's signal aborted (timeout, client gone), per operation.",
      labelNames: ['op'],
      registers,
    });
    this.partitions = new Gauge({ name: 'vigil_store_partitions', help: 'Time partitions currently stored, per kind.', labelNames: ['kind'], registers });
  }
}
