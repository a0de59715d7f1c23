/**
 * The bus between receivers and writers, shaped for Kafka's semantics so that the embedded
 * implementation (ingest/bus/embedded) and the Kafka one are interchangeable:
 * topics per record kind, partitions chosen by key, consumer groups, offsets committed after
 * processing (at-least-once). Offsets are per partition, dense, starting at 0.
 */

/** The topics Vigil uses: one per record kind. */
export const TOPICS = { metrics: 'vigil.metrics', logs: 'vigil.logs', events: 'vigil.events' } as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export interface BusRecord {
  /** Partition key (the tenant, for Vigil's topics); records with one key keep their order. */
  readonly key: string;
  readonly value: Uint8Array;
}

export interface ConsumedRecord extends BusRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Milliseconds since the epoch at which the bus accepted the record. */
  readonly timestamp: number;
}

/** A batch from one topic partition, in offset order. */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** The offset after the last record of this batch: what to commit once it is processed. */
  readonly nextOffset: bigint;
  /** Records in the partition not yet delivered after this batch (the consumer's lag). */
  readonly lag: bigint;
}

export interface Producer {
  /**
   * Appends records to a topic. Resolves only once they are durable (embedded: fsync'ed, with
   * group commit; Kafka: acks=all). Rejects with VigilError('too_many_requests', retryAfterMs)
   * when consumers lag beyond the configured bound — nothing of a rejected call is kept.
   */
  send(topic: string, records: readonly BusRecord[]): Promise<void>;
}

export interface ConsumerOptions {
  readonly group: string;
  readonly topics: readonly string[];
  /** Upper bound on records per delivered batch. */
  readonly maxBatchRecords: number;
  /** How long to wait for more records before delivering a smaller batch. */
  readonly maxWaitMs: number;
  /**
   * Where to start per "topic/partition", overriding the group's committed offset. Writers that
   * store offsets in their own transaction pass them here.
   */
  readonly startOffsets?: ReadonlyMap<string, bigint>;
}

/**
 * Processes batches; the consumer commits `batch.nextOffset` for the group only after the
 * handler resolves. A handler that rejects gets the same records again (at-least-once).
 */
export type BatchHandler = (batch: ConsumedBatch) => Promise<void>;

export interface Consumer {
  /** Starts delivering batches to `handler`, one batch at a time per partition. */
  run(handler: BatchHandler): Promise<void>;
  /** Stops after the batch in flight has been handled and committed; idempotent. */
  stop(): Promise<void>;
}

export interface TopicStats {
  readonly topic: string;
  readonly partition: number;
  /** Offset the next produced record will get. */
  readonly endOffset: bigint;
  /** Committed offset per consumer group. */
  readonly committed: ReadonlyMap<string, bigint>;
  readonly bytesOnDisk: number;
}

export interface Bus {
  /** Opens the bus (recovers segments); called once. */
  start(): Promise<void>;
  producer(): Producer;
  consumer(options: ConsumerOptions): Consumer;
  /** Offsets and sizes, for /metrics and readiness. */
  stats(): Promise<TopicStats[]>;
  /** Closes everything; idempotent. Producers' pending sends are completed or rejected first. */
  shutdown(): Promise<void>;
}

export function topicPartition(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}
