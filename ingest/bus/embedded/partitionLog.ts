import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ConsumedRecord } from '../bus.js';
import type { DecodedRecord } from './recordFrame.js';
import type { PendingFrame, SegmentLimits } from './segment.js';
import { Segment } from './segment.js';
import { fsyncDirectorySync } from './durableFile.js';
import { parseSegmentFileName } from './names.js';
import { DurableWaiters } from './durableWaiters.js';

/** Where an append began, so it can be undone. */
export interface AppendReceipt {
  readonly segment: Segment;
  readonly size: number;
  readonly next: bigint;
  readonly bytes: number;
}

export interface PartitionLogOptions extends SegmentLimits {
  readonly segmentBytes: number;
  readonly logger: Logger;
}

/**
 * The log of one topic partition: its segments in offset order, of which only the last is
 * appended to. It separates the written end (`writtenEnd`, what appends have reached) from the
 * durable end (`durableEnd`, what an fsync has covered): consumers see only durable records,
 * so nothing a consumer has processed can vanish in a crash and have its offset reused.
 */
export class PartitionLog {
  private readonly segments: Segment[];
  private durable: bigint;
  private readonly waiters = new DurableWaiters();

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly dir: string,
    segments: Segment[],
    private readonly options: PartitionLogOptions,
  ) {
    this.segments = segments;
    this.durable = this.writtenEnd;
  }

  /** Opens (recovering) or creates the partition directory. */
  static open(topic: string, partition: number, dir: string, options: PartitionLogOptions): PartitionLog {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) rmSync(`${dir}/${name}`, { force: true });
    const bases = readdirSync(dir)
      .map(parseSegmentFileName)
      .filter((b): b is bigint => b !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const log = options.logger.child({ topic, partition });
    const segments: Segment[] = [];
    if (bases.length === 0) {
      segments.push(Segment.create(dir, 0n, options));
      fsyncDirectorySync(dir);
    }
    bases.forEach((base, i) => {
      const next = bases[i + 1];
      const { segment, recovery } = next === undefined ? Segment.openActive(dir, base, options) : Segment.openSealed(dir, base, next, options);
      if (recovery.truncatedBytes > 0 || recovery.problem !== undefined) {
        log.warn({ segment: segment.path, truncatedBytes: recovery.truncatedBytes, problem: recovery.problem }, 'bus segment had a torn or damaged tail; cut it off');
      }
      segments.push(segment);
    });
    return new PartitionLog(topic, partition, dir, segments, options);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1] as Segment;
  }

  /** Offset of the oldest record still on disk. */
  get startOffset(): bigint {
    return (this.segments[0] as Segment).baseOffset;
  }

  /** Offset the next appended record gets. */
  get writtenEnd(): bigint {
    return this.active.nextOffset;
  }

  /** Offset up to which (exclusive) records are durable and visible to consumers. */
  get durableEnd(): bigint {
    return this.durable;
  }

  get bytesOnDisk(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** The file to fsync to make everything written so far durable (older segments were synced when sealed). */
  get activeFileDescriptor(): number {
    return this.active.fileDescriptor;
  }

  /**
   * Appends the frames `build(firstOffset)` returns. Rolls to a new segment first when they
   * would take the active one past `segmentBytes` (a segment holds at least one call), so one
   * call's records never straddle segments and `undo` can take them back by truncating one file.
   */
  append(build: (firstOffset: bigint) => PendingFrame[]): AppendReceipt {
    const frames = build(this.writtenEnd);
    let incoming = 0;
    for (const f of frames) incoming += f.header.length + f.value.length;
    if (this.active.size > 0 && this.active.size + incoming > this.options.segmentBytes) this.roll();
    const segment = this.active;
    const size = segment.size;
    const next = segment.nextOffset;
    const bytes = segment.append(frames);
    return { segment, size, next, bytes };
  }

  /** Takes back an append (not yet durable) when a later part of the same send failed. */
  undo(receipt: AppendReceipt): void {
    if (receipt.segment === this.active) receipt.segment.truncateTo(receipt.size, receipt.next);
  }

  /**
   * Seals the active segment (synced, index written) before creating the next one, so after a
   * crash only the last segment of a partition can have a torn tail.
   */
  private roll(): void {
    const old = this.active;
    old.seal();
    this.segments.push(Segment.create(this.dir, old.nextOffset, this.options));
    fsyncDirectorySync(this.dir);
    this.options.logger.debug({ topic: this.topic, partition: this.partition, base: old.nextOffset.toString() }, 'bus segment rolled');
  }

  /** Called after an fsync covered everything written up to `offset`; wakes waiting consumers. */
  markDurable(offset: bigint): void {
    if (offset <= this.durable) return;
    this.durable = offset;
    this.waiters.advance(offset);
  }

  /**
   * Resolves true once `durableEnd >= target`, false after `timeoutMs` (if given) or when
   * `signal` aborts.
   */
  waitForDurable(target: bigint, signal: AbortSignal, timeoutMs?: number): Promise<boolean> {
    if (this.durable >= target) return Promise.resolve(true);
    return this.waiters.wait(target, signal, timeoutMs);
  }

  /**
   * Reads durable records from `fromOffset` on: at most `maxRecords`, about `maxBytes` (at least
   * one record). Offsets below the start of the log begin at the oldest record.
   */
  read(fromOffset: bigint, maxRecords: number, maxBytes: number): ConsumedRecord[] {
    const decoded: DecodedRecord[] = [];
    let used = 0;
    for (let i = this.segmentIndexOf(fromOffset); i < this.segments.length && decoded.length < maxRecords; i++) {
      if (decoded.length > 0 && used >= maxBytes) break;
      const before = decoded.length;
      const segment = this.segments[i] as Segment;
      segment.read(fromOffset, this.durable, maxRecords, maxBytes - used, decoded);
      for (let j = before; j < decoded.length; j++) used += (decoded[j] as DecodedRecord).frameBytes;
      if (segment.nextOffset >= this.durable) break;
    }
    return decoded.map((r) => ({ topic: this.topic, partition: this.partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value }));
  }

  private segmentIndexOf(offset: bigint): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.segments[mid] as Segment).baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Bytes on disk from `offset` to the end (to one index interval). */
  bytesFrom(offset: bigint): number {
    let total = 0;
    for (let i = this.segmentIndexOf(offset); i < this.segments.length; i++) total += (this.segments[i] as Segment).bytesFrom(offset);
    return total;
  }

  /** Deletes sealed segments whose records are all below `offset`; returns how many. */
  deleteBelow(offset: bigint): number {
    let deleted = 0;
    while (this.segments.length > 1 && (this.segments[1] as Segment).baseOffset <= offset) {
      const gone = this.segments.shift() as Segment;
      gone.remove();
      deleted++;
    }
    if (deleted > 0) fsyncDirectorySync(this.dir);
    return deleted;
  }

  close(): void {
    this.waiters.closeAll();
    for (const s of this.segments) s.close();
  }
}
