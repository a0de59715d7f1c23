/**
 * A sparse offset index of one segment: an entry (offset, file position) at least every
 * `intervalBytes`, so a reader finds a frame boundary at or before any offset with a binary
 * search and scans at most `intervalBytes` (or one record) forward. Kept in memory while the
 * segment is active; written beside the segment (8 bytes per entry: u32 offset relative to the
 * segment's base, u32 position) when it is sealed, so reopening does not rescan old segments.
 */
export class SparseIndex {
  private readonly relOffsets: number[] = [];
  private readonly positions: number[] = [];

  constructor(
    readonly baseOffset: bigint,
    private readonly intervalBytes: number,
  ) {}

  get entries(): number {
    return this.positions.length;
  }

  /** Records the frame of `offset` at `position` if the last entry is far enough behind. */
  observe(offset: bigint, position: number): void {
    const last = this.positions[this.positions.length - 1];
    if (last !== undefined && position - last < this.intervalBytes) return;
    this.relOffsets.push(Number(offset - this.baseOffset));
    this.positions.push(position);
  }

  /** The position of the last indexed frame at or before `offset` (0 when none is). */
  floor(offset: bigint): number {
    const rel = Number(offset - this.baseOffset);
    let lo = 0;
    let hi = this.relOffsets.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.relOffsets[mid] as number) <= rel) {
        found = this.positions[mid] as number;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Forgets entries at or past `position` (used when an append is rolled back). */
  truncate(position: number): void {
    while (this.positions.length > 0 && (this.positions[this.positions.length - 1] as number) >= position) {
      this.positions.pop();
      this.relOffsets.pop();
    }
  }

  encode(): Buffer {
    const out = Buffer.allocUnsafe(this.positions.length * 8);
    for (let i = 0; i < this.positions.length; i++) {
      out.writeUInt32LE(this.relOffsets[i] as number, i * 8);
      out.writeUInt32LE(this.positions[i] as number, i * 8 + 4);
    }
    return out;
  }

  /**
   * Reads an index file; undefined when it does not describe a segment of `segmentBytes`
   * (truncated, out of order, pointing past the end), in which case the caller rescans.
   */
  static decode(bytes: Buffer, baseOffset: bigint, intervalBytes: number, segmentBytes: number): SparseIndex | undefined {
    if (bytes.length % 8 !== 0) return undefined;
    const index = new SparseIndex(baseOffset, intervalBytes);
    let lastRel = -1;
    let lastPos = -1;
    for (let at = 0; at < bytes.length; at += 8) {
      const rel = bytes.readUInt32LE(at);
      const pos = bytes.readUInt32LE(at + 4);
      if (rel <= lastRel || pos <= lastPos || pos >= segmentBytes) return undefined;
      index.relOffsets.push(rel);
      index.positions.push(pos);
      lastRel = rel;
      lastPos = pos;
    }
    if (segmentBytes > 0 && index.positions[0] !== 0) return undefined;
    return index;
  }
}
