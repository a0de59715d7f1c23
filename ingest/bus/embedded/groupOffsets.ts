import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { VigilError } from '../../../core/index.js';
import { fsyncDirectory, replaceFileDurably } from './durableFile.js';

const fileSchema = z
  .object({
    version: z.literal(1),
    group: z.string(),
    offsets: z.record(z.string(), z.string().regex(/^\d+$/, 'an offset in decimal')),
  })
  .strict();

/**
 * The committed offsets of one consumer group, per "topic/partition", kept in one JSON file
 * replaced atomically on every commit (tmp + fsync + rename + directory fsync). Concurrent
 * commits (one per partition loop) are coalesced: each waits for one write that started after
 * its change, so a burst of commits costs one or two file writes.
 */
export class GroupOffsets {
  private readonly offsets = new Map<string, bigint>();
  /**
   * When the group last committed, or when the bus loaded it: expiry counts only time the bus was
   * running, so a platform that was down for a week does not forget its groups on start.
   */
  lastCommitMs: number;
  private lastWrite: Promise<void> = Promise.resolve();
  private nextWrite: Promise<void> | undefined;

  private constructor(
    readonly group: string,
    private readonly path: string,
    private readonly clock: () => number,
  ) {
    this.lastCommitMs = clock();
  }

  static empty(group: string, path: string, clock: () => number): GroupOffsets {
    return new GroupOffsets(group, path, clock);
  }

  /** Reads a group's file; a file that is not a valid offsets file stops start-up with its path. */
  static async load(group: string, path: string, clock: () => number): Promise<GroupOffsets> {
    const store = new GroupOffsets(group, path, clock);
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (err) {
      throw new VigilError('internal', `consumer group offsets file ${path} is unreadable: ${(err as Error).message}`, { cause: err });
    }
    for (const [tp, offset] of Object.entries(parsed.offsets)) store.offsets.set(tp, BigInt(offset));
    return store;
  }

  get(topicPartition: string): bigint | undefined {
    return this.offsets.get(topicPartition);
  }

  has(topicPartition: string): boolean {
    return this.offsets.has(topicPartition);
  }

  get entries(): ReadonlyMap<string, bigint> {
    return this.offsets;
  }

  /** Records `offset` for `topicPartition` and resolves once it is durable. */
  commit(topicPartition: string, offset: bigint): Promise<void> {
    this.offsets.set(topicPartition, offset);
    this.lastCommitMs = this.clock();
    return this.persist();
  }

  private persist(): Promise<void> {
    if (this.nextWrite === undefined) {
      const next = this.lastWrite
        .catch(() => undefined)
        .then(() => {
          // From here on, new commits need a later write: this one snapshots the map now.
          this.nextWrite = undefined;
          return this.write();
        });
      this.nextWrite = next;
      this.lastWrite = next;
    }
    return this.nextWrite;
  }

  private write(): Promise<void> {
    const offsets: Record<string, string> = {};
    for (const [tp, offset] of this.offsets) offsets[tp] = offset.toString();
    const body = JSON.stringify({ version: 1, group: this.group, offsets }, null, 1);
    return replaceFileDurably(this.path, Buffer.from(body, 'utf8'));
  }

  /** Forgets the group for good: waits for writes in progress, then deletes its file durably. */
  async remove(): Promise<void> {
    await this.flush();
    await rm(this.path, { force: true });
    await fsyncDirectory(dirname(this.path));
  }

  /** Waits for writes in progress. */
  async flush(): Promise<void> {
    await this.lastWrite.catch(() => undefined);
  }
}
