import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { VigilError } from '../../../core/index.js';
import type { PartitionLogOptions } from './partitionLog.js';
import { PartitionLog } from './partitionLog.js';
import { fsyncDirectorySync, replaceFileDurablySync } from './durableFile.js';
import { partitionDir, partitionOf, topicsDir } from './names.js';

const metaSchema = z.object({ version: z.literal(1), partitions: z.number().int().min(1).max(1024) }).strict();

/**
 * A topic: its partitions, fixed when the topic is created (recorded in topic.json) because
 * changing the count would move keys to other partitions and break their order.
 */
export class TopicLog {
  private constructor(
    readonly topic: string,
    readonly partitions: readonly PartitionLog[],
  ) {}

  /** Opens the topic under `root`, creating it with `partitions` partitions if it does not exist. */
  static open(root: string, topic: string, partitions: number, options: PartitionLogOptions): TopicLog {
    const dir = join(topicsDir(root), topic);
    const metaPath = join(dir, 'topic.json');
    let count = partitions;
    if (existsSync(metaPath)) {
      const parsed = metaSchema.safeParse(safeJson(readFileSync(metaPath, 'utf8')));
      if (!parsed.success) throw new VigilError('internal', `bus topic metadata ${metaPath} is invalid: ${parsed.error.message}`);
      count = parsed.data.partitions;
      if (count !== partitions) {
        options.logger.warn({ topic, onDisk: count, configured: partitions }, 'bus topic keeps the partition count it was created with');
      }
    } else {
      mkdirSync(dir, { recursive: true });
      replaceFileDurablySync(metaPath, Buffer.from(JSON.stringify({ version: 1, partitions: count })));
      fsyncDirectorySync(dirname(dir));
    }
    const logs: PartitionLog[] = [];
    for (let p = 0; p < count; p++) logs.push(PartitionLog.open(topic, p, partitionDir(root, topic, p), options));
    fsyncDirectorySync(dir);
    return new TopicLog(topic, logs);
  }

  partitionFor(key: string): number {
    return partitionOf(key, this.partitions.length);
  }

  close(): void {
    for (const p of this.partitions) p.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
