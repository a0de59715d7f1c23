import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import type { FilePosition } from './positions.js';

/** One line of a file, without its newline, and the file offset just after it. */
export interface Line {
  readonly text: string;
  readonly endOffset: number;
}

/** What a poll of one file found. */
export interface TailRead {
  readonly lines: Line[];
  /** The file was renamed away (and maybe replaced) and has been read to its end: this tail is finished. */
  readonly rotated: boolean;
  /** The file shrank (copytruncate): reading restarted at 0. */
  readonly truncated: boolean;
}

export interface FileTailOptions {
  /** Bytes read per poll at most, so one busy file cannot starve the others. */
  readonly maxBytesPerRead: number;
  /**
   * Where reads land before they are split into lines, shared by the tails of one tailer (which
   * reads its files one after the other), so a thousand followed files do not hold a thousand buffers.
   */
  readonly scratch: Buffer;
  /** A line longer than this is cut into pieces of this size. */
  readonly maxLineBytes: number;
}

/**
 * Follows one file by its open descriptor, so a rename (logrotate's default, the kubelet's
 * rotation) does not lose the end of the old file: after reading to its end, the tail notices
 * the path now names another inode, or nothing, and reports itself rotated; the caller then opens
 * a new tail on the path, from offset 0. A file that shrank was truncated in place (copytruncate):
 * reading restarts at 0. Only whole lines are returned; a trailing partial line waits for its
 * newline (or for rotation, which ends it).
 */
export class FileTail {
  private carry: Buffer = Buffer.alloc(0);

  private constructor(
    readonly path: string,
    private handle: FileHandle | undefined,
    readonly dev: number,
    readonly ino: number,
    /** Offset of the next byte to read. */
    private offset: number,
    private readonly opts: FileTailOptions,
  ) {}

  /**
   * Opens the file at `path`; resumes at the saved position when it is the same file (device and
   * inode) and not shorter than it, else starts at 0. Rejects when the file cannot be opened.
   */
  static async open(path: string, saved: FilePosition | undefined, opts: FileTailOptions): Promise<FileTail> {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      const resume = saved !== undefined && saved.dev === st.dev && saved.ino === st.ino && saved.offset <= st.size ? saved.offset : 0;
      return new FileTail(path, handle, st.dev, st.ino, resume, opts);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Offset just after the last whole line returned. */
  get lineOffset(): number {
    return this.offset - this.carry.length;
  }

  /** Reads what was appended since the last call, at most `budget` bytes (default maxBytesPerRead). Not to be called concurrently with another tail sharing the scratch buffer. */
  async read(budget = this.opts.maxBytesPerRead): Promise<TailRead> {
    const handle = this.handle;
    if (handle === undefined) return { lines: [], rotated: true, truncated: false };
    let truncated = false;
    const size = (await handle.stat()).size;
    if (size < this.offset) {
      this.offset = 0;
      this.carry = Buffer.alloc(0);
      truncated = true;
    }
    const lines: Line[] = [];
    const scratch = this.opts.scratch;
    let atEnd = false;
    while (budget > 0) {
      const { bytesRead } = await handle.read(scratch, 0, Math.min(scratch.length, budget), this.offset);
      if (bytesRead === 0) {
        atEnd = true;
        break;
      }
      budget -= bytesRead;
      const startOfChunk = this.offset - this.carry.length;
      this.offset += bytesRead;
      this.split(Buffer.concat([this.carry, scratch.subarray(0, bytesRead)]), startOfChunk, lines);
    }
    if (!atEnd) return { lines, rotated: false, truncated };
    // Read to the end: is the path still this file?
    const now = await stat(this.path).catch(() => undefined);
    if (now !== undefined && now.dev === this.dev && now.ino === this.ino) return { lines, rotated: false, truncated };
    // Renamed away or deleted: the unterminated last line is all there will ever be of it.
    if (this.carry.length > 0) lines.push({ text: this.carry.toString('utf8'), endOffset: this.offset });
    this.carry = Buffer.alloc(0);
    await this.close();
    return { lines, rotated: true, truncated };
  }

  private split(data: Buffer, startOffset: number, lines: Line[]): void {
    let from = 0;
    for (;;) {
      const nl = data.indexOf(10, from);
      if (nl < 0) break;
      // A line may end in \r\n: the \r is not part of it.
      const end = nl > from && data[nl - 1] === 13 ? nl - 1 : nl;
      let at = from;
      while (end - at > this.opts.maxLineBytes) {
        lines.push({ text: data.toString('utf8', at, at + this.opts.maxLineBytes), endOffset: startOffset + at + this.opts.maxLineBytes });
        at += this.opts.maxLineBytes;
      }
      lines.push({ text: data.toString('utf8', at, end), endOffset: startOffset + nl + 1 });
      from = nl + 1;
    }
    let rest = data.subarray(from);
    let restStart = startOffset + from;
    while (rest.length > this.opts.maxLineBytes) {
      lines.push({ text: rest.toString('utf8', 0, this.opts.maxLineBytes), endOffset: restStart + this.opts.maxLineBytes });
      rest = rest.subarray(this.opts.maxLineBytes);
      restStart += this.opts.maxLineBytes;
    }
    this.carry = Buffer.from(rest);
  }

  /** Idempotent. */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }
}
