import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, rmSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodedRecord } from './recordFrame.js';
import { indexFileName, segmentFileName } from './names.js';
import { replaceFileDurablySync } from './durableFile.js';
import { scanFrames } from './segmentReader.js';
import { SparseIndex } from './sparseIndex.js';

/** One frame ready to be written: its encoded header and the caller's value, written as is. */
export interface PendingFrame {
  readonly offset: bigint;
  readonly header: Buffer;
  readonly value: Uint8Array;
}

export interface SegmentLimits {
  readonly indexIntervalBytes: number;
  readonly maxBodyBytes: number;
}

/** What recovery found in a segment's file. */
export interface SegmentRecovery {
  /** Bytes cut off the end because they did not form whole, valid, dense frames. */
  readonly truncatedBytes: number;
  readonly problem?: string;
}

/**
 * One append-only segment file of a partition: records from `baseOffset` up to `nextOffset`
 * (exclusive), `size` bytes, with its sparse index. The file stays open (read/write) for the
 * segment's lifetime; only the partition's last segment is ever appended to.
 */
export class Segment {
  private constructor(
    readonly dir: string,
    readonly baseOffset: bigint,
    private fd: number,
    private index: SparseIndex,
    private sizeBytes: number,
    private next: bigint,
    private readonly limits: SegmentLimits,
  ) {}

  get size(): number {
    return this.sizeBytes;
  }

  /** Offset after the last record in this segment. */
  get nextOffset(): bigint {
    return this.next;
  }

  get fileDescriptor(): number {
    return this.fd;
  }

  get path(): string {
    return join(this.dir, segmentFileName(this.baseOffset));
  }

  static create(dir: string, baseOffset: bigint, limits: SegmentLimits): Segment {
    const fd = openSync(join(dir, segmentFileName(baseOffset)), 'wx+');
    return new Segment(dir, baseOffset, fd, new SparseIndex(baseOffset, limits.indexIntervalBytes), 0, baseOffset, limits);
  }

  /**
   * Opens a sealed segment, trusting its index file when it is consistent with the file and
   * `nextOffset` (the following segment's base). Without a usable index it rescans the file.
   */
  static openSealed(dir: string, baseOffset: bigint, nextOffset: bigint, limits: SegmentLimits): { segment: Segment; recovery: SegmentRecovery } {
    const fd = openSync(join(dir, segmentFileName(baseOffset)), 'r+');
    const size = fstatSync(fd).size;
    let index: SparseIndex | undefined;
    try {
      index = SparseIndex.decode(readFileSync(join(dir, indexFileName(baseOffset))), baseOffset, limits.indexIntervalBytes, size);
    } catch {
      index = undefined;
    }
    if (index !== undefined) {
      return { segment: new Segment(dir, baseOffset, fd, index, size, nextOffset, limits), recovery: { truncatedBytes: 0 } };
    }
    const segment = new Segment(dir, baseOffset, fd, new SparseIndex(baseOffset, limits.indexIntervalBytes), size, baseOffset, limits);
    const recovery = segment.recover();
    segment.writeIndex();
    return { segment, recovery };
  }

  /** Opens the active (last) segment: scans it whole and cuts off a torn tail. */
  static openActive(dir: string, baseOffset: bigint, limits: SegmentLimits): { segment: Segment; recovery: SegmentRecovery } {
    const fd = openSync(join(dir, segmentFileName(baseOffset)), 'r+');
    const size = fstatSync(fd).size;
    const segment = new Segment(dir, baseOffset, fd, new SparseIndex(baseOffset, limits.indexIntervalBytes), size, baseOffset, limits);
    const recovery = segment.recover();
    // What survived a process crash may still sit only in the page cache: make it durable
    // before consumers see it as such.
    fdatasyncSync(fd);
    return { segment, recovery };
  }

  /** Rebuilds the index and next offset by scanning; truncates at the first bad frame. */
  private recover(): SegmentRecovery {
    let expected = this.baseOffset;
    let outOfOrder: string | undefined;
    const outcome = scanFrames(this.fd, 0, this.sizeBytes, this.limits.maxBodyBytes, (record, position) => {
      if (record.offset !== expected) {
        outOfOrder = `frame at ${position} has offset ${record.offset}, expected ${expected}`;
        return false;
      }
      this.index.observe(record.offset, position);
      expected += 1n;
      return true;
    });
    this.next = expected;
    const truncatedBytes = this.sizeBytes - outcome.position;
    if (truncatedBytes > 0) {
      ftruncateSync(this.fd, outcome.position);
      fdatasyncSync(this.fd);
      this.sizeBytes = outcome.position;
    }
    const problem = outcome.problem ?? outOfOrder;
    return problem === undefined ? { truncatedBytes } : { truncatedBytes, problem };
  }

  /**
   * Writes frames (offsets must continue `nextOffset`) at the end of the file in one gathered
   * write. Not durable until the file is synced. On failure the file is cut back to where it
   * was, so a failed call leaves nothing behind.
   */
  append(frames: readonly PendingFrame[]): number {
    const startSize = this.sizeBytes;
    const buffers: Uint8Array[] = [];
    let position = startSize;
    for (const frame of frames) {
      this.index.observe(frame.offset, position);
      buffers.push(frame.header, frame.value);
      position += frame.header.length + frame.value.length;
    }
    try {
      writeAll(this.fd, buffers, startSize);
    } catch (err) {
      this.truncateTo(startSize, this.next);
      throw err;
    }
    this.sizeBytes = position;
    this.next += BigInt(frames.length);
    return position - startSize;
  }

  /** Cuts the file back to `size` bytes holding records up to `next` (exclusive). */
  truncateTo(size: number, next: bigint): void {
    this.index.truncate(size);
    ftruncateSync(this.fd, size);
    this.sizeBytes = size;
    this.next = next;
  }

  /**
   * Reads records with offsets in [fromOffset, visibleEnd), at most `maxRecords`, stopping once
   * `maxBytes` is reached (but always returning at least one record when one is visible).
   */
  read(fromOffset: bigint, visibleEnd: bigint, maxRecords: number, maxBytes: number, out: DecodedRecord[]): void {
    let bytes = 0;
    const start = this.index.floor(fromOffset);
    const outcome = scanFrames(this.fd, start, this.sizeBytes, this.limits.maxBodyBytes, (record) => {
      if (record.offset >= visibleEnd || out.length >= maxRecords) return false;
      if (out.length > 0 && bytes + record.frameBytes > maxBytes) return false;
      if (record.offset >= fromOffset) {
        out.push(record);
        bytes += record.frameBytes;
      }
      return true;
    });
    if (outcome.problem !== undefined) {
      throw new Error(`segment ${this.path} is damaged: ${outcome.problem}`);
    }
  }

  /** Approximate bytes from `offset` to the end of this segment (exact to one index interval). */
  bytesFrom(offset: bigint): number {
    if (offset <= this.baseOffset) return this.sizeBytes;
    if (offset >= this.next) return 0;
    return this.sizeBytes - this.index.floor(offset);
  }

  /** Makes the segment immutable: data synced, index written beside it. */
  seal(): void {
    fdatasyncSync(this.fd);
    this.writeIndex();
  }

  private writeIndex(): void {
    replaceFileDurablySync(join(this.dir, indexFileName(this.baseOffset)), this.index.encode());
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Closes and removes the segment's files. */
  remove(): void {
    this.close();
    rmSync(join(this.dir, indexFileName(this.baseOffset)), { force: true });
    rmSync(this.path, { force: true });
  }
}

/** writev may write less than asked (and caps the number of buffers): loop until all is written. */
function writeAll(fd: number, buffers: Uint8Array[], position: number): void {
  let pending = buffers.filter((b) => b.length > 0);
  let at = position;
  while (pending.length > 0) {
    let written = writevSync(fd, pending.slice(0, 1024), at);
    at += written;
    let i = 0;
    while (i < pending.length && written >= (pending[i] as Uint8Array).length) {
      written -= (pending[i] as Uint8Array).length;
      i++;
    }
    pending = pending.slice(i);
    if (written > 0 && pending.length > 0) pending[0] = (pending[0] as Uint8Array).subarray(written);
  }
}
