import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type Signal = 'metrics' | 'logs';

/** One batch waiting in the buffer: an OTLP/HTTP body, gzip'ed, as it will be sent. */
export interface BufferedBatch {
  readonly seq: number;
  readonly signal: Signal;
  /** Samples or log records in the batch, for the agent's counters. */
  readonly items: number;
  readonly bytes: number;
  readonly file: string;
}

const NAME = /^(\d{16})\.(metrics|logs)\.(\d+)\.json\.gz$/;

/**
 * Batches on their way to the server, one file each in a directory, oldest first. A batch is in
 * the buffer once append() resolves (written, fsync'ed, renamed into place): it survives an agent
 * restart and leaves only when remove() is called after the server acknowledged it. The buffer
 * holds at most maxBytes; append() refuses (resolves false) rather than exceed it, so what was
 * accepted is never lost and what was refused is the caller's to count. Not safe for two
 * processes on one directory; within a process, calls may interleave freely.
 */
export class DiskBuffer {
  private readonly batches: BufferedBatch[] = [];
  private totalBytes = 0;
  private nextSeq = 1;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens (creating) the directory and takes over what an earlier run left in it. */
  static async open(dir: string, maxBytes: number): Promise<DiskBuffer> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const buffer = new DiskBuffer(dir, maxBytes);
    for (const name of (await readdir(dir)).sort()) {
      const m = NAME.exec(name);
      // Half-written files of a crash are not batches.
      if (m === null) {
        if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
        continue;
      }
      const file = join(dir, name);
      const bytes = (await stat(file)).size;
      const seq = Number(m[1]);
      buffer.batches.push({ seq, signal: m[2] as Signal, items: Number(m[3]), bytes, file });
      buffer.totalBytes += bytes;
      buffer.nextSeq = Math.max(buffer.nextSeq, seq + 1);
    }
    return buffer;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get length(): number {
    return this.batches.length;
  }

  /** Stores a batch durably; false (nothing written) when it would take the buffer past maxBytes. */
  async append(signal: Signal, gzBody: Uint8Array, items: number): Promise<boolean> {
    if (this.totalBytes + gzBody.byteLength > this.maxBytes) return false;
    const seq = this.nextSeq++;
    // Reserve the space before the first await, so concurrent appends cannot overshoot together.
    this.totalBytes += gzBody.byteLength;
    const file = join(this.dir, `${String(seq).padStart(16, '0')}.${signal}.${items}.json.gz`);
    try {
      const handle = await open(`${file}.tmp`, 'w', 0o600);
      try {
        await handle.writeFile(gzBody);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(`${file}.tmp`, file);
      await syncDirectory(this.dir);
    } catch (err) {
      this.totalBytes -= gzBody.byteLength;
      await rm(`${file}.tmp`, { force: true });
      throw err;
    }
    const batch = { seq, signal, items, bytes: gzBody.byteLength, file };
    // Keep the list ordered by seq even when appends finish out of order.
    const at = this.batches.findIndex((b) => b.seq > seq);
    if (at < 0) this.batches.push(batch);
    else this.batches.splice(at, 0, batch);
    return true;
  }

  oldest(): BufferedBatch | undefined {
    return this.batches[0];
  }

  read(batch: BufferedBatch): Promise<Buffer> {
    return readFile(batch.file);
  }

  async remove(batch: BufferedBatch): Promise<void> {
    const i = this.batches.indexOf(batch);
    if (i < 0) return;
    this.batches.splice(i, 1);
    this.totalBytes -= batch.bytes;
    await rm(batch.file, { force: true });
  }
}

/** Makes a rename in `dir` survive a power cut (the file's own fsync does not cover its directory entry). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
