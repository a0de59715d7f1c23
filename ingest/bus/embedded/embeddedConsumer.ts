import type { Logger } from 'pino';
import { VigilError } from '../../../core/index.js';
import type { BatchHandler, Consumer, ConsumerOptions } from '../bus.js';
import { topicPartition } from '../bus.js';
import type { BusMetrics } from './busMetrics.js';
import type { GroupOffsets } from './groupOffsets.js';
import type { TopicLog } from './topicLog.js';
import { runPartitionLoop } from './partitionLoop.js';

/** What a consumer needs from the bus that owns it. */
export interface ConsumerHost {
  readonly metrics: BusMetrics;
  readonly logger: Logger;
  readonly maxBatchBytes: number;
  readonly backoffMs: { readonly initial: number; readonly max: number };
  /** The topic's log, created on first use. */
  topic(name: string): TopicLog;
  groupOffsets(group: string): GroupOffsets;
  /** Reserves (group, topic) for one running consumer; throws conflict when taken. */
  claim(group: string, topic: string): void;
  release(group: string, topic: string): void;
  /** Told after a group committed, so fully consumed segments can be deleted. */
  afterCommit(topic: string, partition: number): void;
}

/**
 * A consumer of one group over some topics: one delivery loop per partition. On `run` a group
 * that has no position in a partition yet is registered at the oldest record (committed
 * durably), so retention and backpressure count it from then on.
 */
export class EmbeddedConsumer implements Consumer {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly host: ConsumerHost,
    private readonly options: ConsumerOptions,
  ) {}

  async run(handler: BatchHandler): Promise<void> {
    if (this.loops !== undefined || this.stopping !== undefined) throw new VigilError('conflict', `consumer of group ${this.options.group} is already running or stopped`);
    this.loops = [];
    const { group } = this.options;
    const claimed: string[] = [];
    try {
      for (const topic of this.options.topics) {
        this.host.claim(group, topic);
        claimed.push(topic);
      }
    } catch (err) {
      for (const topic of claimed) this.host.release(group, topic);
      this.loops = undefined;
      throw err;
    }
    const offsets = this.host.groupOffsets(group);
    const logger = this.host.logger.child({ group });
    for (const topic of this.options.topics) {
      for (const log of this.host.topic(topic).partitions) {
        const tp = topicPartition(topic, log.partition);
        const start = this.startOffset(tp, offsets.get(tp), log.startOffset, log.writtenEnd, logger);
        if (!offsets.has(tp)) await offsets.commit(tp, start);
        const loop = runPartitionLoop(log, start, handler, this.abort.signal, {
          group,
          maxBatchRecords: this.options.maxBatchRecords,
          maxWaitMs: this.options.maxWaitMs,
          maxBatchBytes: this.host.maxBatchBytes,
          backoffMs: this.host.backoffMs,
          logger: logger.child({ topic, partition: log.partition }),
          commit: async (next) => {
            await offsets.commit(tp, next);
            this.host.afterCommit(topic, log.partition);
          },
          onBatch: (n) => this.host.metrics.consumedBatchRecords.observe({ group, topic }, n),
          onRedelivery: () => this.host.metrics.redeliveries.inc({ group, topic }),
        });
        this.loops.push(loop);
      }
    }
  }

  /** The override, else the committed offset, else the oldest record; kept within the log. */
  private startOffset(tp: string, committed: bigint | undefined, oldest: bigint, end: bigint, logger: Logger): bigint {
    const wanted = this.options.startOffsets?.get(tp) ?? committed ?? oldest;
    if (wanted < oldest) {
      logger.warn({ tp, wanted: wanted.toString(), oldest: oldest.toString() }, 'start offset was already deleted; starting at the oldest record');
      return oldest;
    }
    if (wanted > end) {
      logger.warn({ tp, wanted: wanted.toString(), end: end.toString() }, 'start offset is past the end of the log; starting at the end');
      return end;
    }
    return wanted;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      await Promise.all(this.loops ?? []);
      await this.host.groupOffsets(this.options.group).flush();
      if (this.loops !== undefined) for (const topic of this.options.topics) this.host.release(this.options.group, topic);
    })();
    return this.stopping;
  }
}
