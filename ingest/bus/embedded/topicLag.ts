import { topicPartition } from '../bus.js';
import type { GroupOffsets } from './groupOffsets.js';
import type { TopicLog } from './topicLog.js';

/**
 * Unconsumed bytes of a topic, the measure backpressure bounds: per partition, the bytes from
 * the slowest group's committed offset to the end; a partition no group has registered for
 * counts whole. Groups are "known" for a partition once they hold an offset for it.
 */
export function lagBytes(topic: TopicLog, groups: Iterable<GroupOffsets>): number {
  const all = [...groups];
  let total = 0;
  for (const log of topic.partitions) {
    const tp = topicPartition(topic.topic, log.partition);
    let slowest: bigint | undefined;
    for (const g of all) {
      const committed = g.get(tp);
      if (committed !== undefined && (slowest === undefined || committed < slowest)) slowest = committed;
    }
    total += log.bytesFrom(slowest ?? log.startOffset);
  }
  return total;
}
