import { topicPartition } from '../bus.js';
import type { LagReading } from './busMetrics.js';
import type { GroupOffsets } from './groupOffsets.js';
import type { TopicLog } from './topicLog.js';

/**
 * Where consumer groups stand, as retention and backpressure see it. A group is "known" for a
 * partition once it holds a committed offset there (a consumer registers it on `run`); a
 * group that stops consuming for good keeps holding segments until its offsets file is removed.
 */

/** The lowest committed offset of any group in `topicPartition`, undefined when no group is known there. */
export function slowestCommitted(groups: Iterable<GroupOffsets>, topicPartition: string): bigint | undefined {
  let slowest: bigint | undefined;
  for (const g of groups) {
    const committed = g.get(topicPartition);
    if (committed !== undefined && (slowest === undefined || committed < slowest)) slowest = committed;
  }
  return slowest;
}

/**
 * Unconsumed bytes of a topic, the measure backpressure bounds: per partition, the bytes from
 * the slowest group's committed offset to the end; a partition no group is known in counts whole.
 */
export function lagBytes(topic: TopicLog, groups: readonly GroupOffsets[]): number {
  let total = 0;
  for (const log of topic.partitions) {
    total += log.bytesFrom(slowestCommitted(groups, topicPartition(topic.topic, log.partition)) ?? log.startOffset);
  }
  return total;
}

/** Durable records each group has not committed yet, per partition, for the lag gauge. */
export function lagReadings(groups: Iterable<GroupOffsets>, topics: ReadonlyMap<string, TopicLog>): LagReading[] {
  const out: LagReading[] = [];
  for (const g of groups) {
    for (const [tp, committed] of g.entries) {
      const slash = tp.lastIndexOf('/');
      const topic = tp.slice(0, slash);
      const partition = Number(tp.slice(slash + 1));
      const log = topics.get(topic)?.partitions[partition];
      if (log === undefined) continue;
      const lag = log.durableEnd - committed;
      out.push({ group: g.group, topic, partition, records: Number(lag > 0n ? lag : 0n) });
    }
  }
  return out;
}
