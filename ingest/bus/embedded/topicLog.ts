import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { VigilError } from '../../../core/index.js';
import type { BusRecord } from '../bus.js';
import type { AppendReceipt, PartitionLogOptions } from './partitionLog.js';
import { PartitionLog } from './partitionLog.js';
import { fsyncDirectorySync, replaceFileDurablySync } from './durableFile.js';
import { partitionDir, partitionOf, topicsDir } from './names.js';
import { encodeFrameHeader } from './recordFrame.js';

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

  /**
   * Writes one send's records (keys already encoded) to their partitions, all or nothing: if a
   * partition's write fails, the partitions written before it are cut back. Returns the
   * partitions written (to be fsync'ed) and the bytes appended. Not durable yet.
   */
  append(records: readonly BusRecord[], keys: readonly Buffer[], timestamp: number): { partitions: PartitionLog[]; bytes: number } {
    const byPartition = new Map<number, number[]>();
    records.forEach((r, i) => {
      const p = this.partitionFor(r.key);
      const list = byPartition.get(p);
      if (list === undefined) byPartition.set(p, [i]);
      else list.push(i);
    });
    const done: { log: PartitionLog; receipt: AppendReceipt }[] = [];
    try {
      for (const [p, indices] of byPartition) {
        const log = this.partitions[p] as PartitionLog;
        const receipt = log.append((first) =>
          indices.map((recordIndex, i) => {
            const value = (records[recordIndex] as BusRecord).value;
            const offset = first + BigInt(i);
            return { offset, header: encodeFrameHeader(offset, timestamp, keys[recordIndex] as Buffer, value), value };
          }),
        );
        done.push({ log, receipt });
      }
    } catch (err) {
      for (const { log, receipt } of done) log.undo(receipt);
      throw err;
    }
    return { partitions: done.map((d) => d.log), bytes: done.reduce((sum, d) => sum + d.receipt.bytes, 0) };
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
