import { readSync } from 'node:fs';
import type { DecodedRecord } from './recordFrame.js';
import { parseFrame } from './recordFrame.js';

/** Bytes read per system call when frames are small; a larger frame is read whole. */
const CHUNK_BYTES = 1024 * 1024;

export interface ScanOutcome {
  /** Position just after the last well-formed frame visited (or where the visitor stopped). */
  readonly position: number;
  /** Why the scan ended before `end`: a torn or corrupt frame. Undefined when it reached `end` or the visitor stopped. */
  readonly problem?: string;
}

/**
 * Visits the frames of a segment file from `start` (a frame boundary) up to `end`, reading in
 * large chunks. `visit` returns false to stop before the frame it was given is consumed.
 * Synchronous on purpose: segment data is almost always in the page cache, where a plain
 * read is cheaper than a hop through libuv's thread pool, and no other code can interleave
 * (delete or truncate the file) in the middle of a scan.
 */
export function scanFrames(
  fd: number,
  start: number,
  end: number,
  maxBodyBytes: number,
  visit: (record: DecodedRecord, position: number) => boolean,
): ScanOutcome {
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = start;
  let position = start;
  let limit = end;
  while (position < limit) {
    const parsed = parseFrame(chunk, position - chunkStart, maxBodyBytes);
    if (parsed.kind === 'incomplete') {
      const want = Math.min(Math.max(CHUNK_BYTES, parsed.needBytes), limit - position);
      if (chunkStart === position && chunk.length >= want) {
        return { position, problem: `frame at ${position} is cut off at ${limit}` };
      }
      chunk = readExactly(fd, position, want);
      chunkStart = position;
      // A file shorter than expected ends the scan at its real end.
      if (chunk.length < want) limit = position + chunk.length;
      continue;
    }
    if (parsed.kind === 'corrupt') return { position, problem: `frame at ${position}: ${parsed.reason}` };
    if (!visit(parsed.record, position)) return { position };
    position += parsed.record.frameBytes;
  }
  return { position };
}

function readExactly(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) return buf.subarray(0, done);
    done += n;
  }
  return buf;
}
