import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';

/** One lag reading for the consumer lag gauge, computed at scrape time. */
export interface LagReading {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
}

/** The embedded bus's metrics, registered on the registry it is given. */
export class BusMetrics {
  readonly appendedRecords: Counter<'topic'>;
  readonly appendedBytes: Counter<'topic'>;
  readonly rejectedSends: Counter<'topic' | 'reason'>;
  readonly fsyncs: Counter;
  readonly fsyncSeconds: Histogram;
  readonly sendsPerFsync: Histogram;
  readonly sendRecords: Histogram<'topic'>;
  readonly consumedBatchRecords: Histogram<'group' | 'topic'>;
  readonly redeliveries: Counter<'group' | 'topic'>;
  readonly deletedSegments: Counter<'topic'>;
  readonly expiredGroups: Counter;

  constructor(registry: Registry, lag: () => readonly LagReading[]) {
    const registers = [registry];
    this.appendedRecords = new Counter({ name: 'vigil_bus_appended_records_total', help: 'Records appended to the embedded bus.', labelNames: ['topic'], registers });
    this.appendedBytes = new Counter({ name: 'vigil_bus_appended_bytes_total', help: 'Bytes (framed) appended to the embedded bus.', labelNames: ['topic'], registers });
    this.rejectedSends = new Counter({
      name: 'vigil_bus_rejected_sends_total',
      help: 'Sends rejected by the embedded bus (backpressure, invalid, closed).',
      labelNames: ['topic', 'reason'],
      registers,
    });
    this.fsyncs = new Counter({ name: 'vigil_bus_fsyncs_total', help: 'fdatasync calls on bus segment files for group commits.', registers });
    this.fsyncSeconds = new Histogram({
      name: 'vigil_bus_fsync_duration_seconds',
      help: 'Duration of one group commit flush (fdatasync of the dirty segments).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.sendsPerFsync = new Histogram({
      name: 'vigil_bus_group_commit_sends',
      help: 'Sends made durable by one group commit flush.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.sendRecords = new Histogram({ name: 'vigil_bus_send_records', help: 'Records per send.', labelNames: ['topic'], buckets: [1, 4, 16, 64, 256, 1024], registers });
    this.consumedBatchRecords = new Histogram({
      name: 'vigil_bus_consumed_batch_records',
      help: 'Records per batch delivered to a consumer handler.',
      labelNames: ['group', 'topic'],
      buckets: [1, 4, 16, 64, 256, 1024, 4096],
      registers,
    });
    this.redeliveries = new Counter({
      name: 'vigil_bus_redeliveries_total',
      help: 'Batches delivered again after the handler rejected them.',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.expiredGroups = new Counter({
      name: 'vigil_bus_expired_groups_total',
      help: 'Consumer groups forgotten after groupRetentionMs without a running consumer or a commit.',
      registers,
    });
    this.deletedSegments = new Counter({ name: 'vigil_bus_deleted_segments_total', help: 'Segments deleted after every group consumed them.', labelNames: ['topic'], registers });
    new Gauge({
      name: 'vigil_bus_consumer_lag_records',
      help: 'Durable records a consumer group has not committed yet, per topic partition.',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const r of lag()) this.set({ group: r.group, topic: r.topic, partition: String(r.partition) }, r.records);
      },
    });
  }
}
