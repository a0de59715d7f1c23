/** Thrown for a snappy stream that is malformed or larger than allowed. */
export class SnappyError extends Error {
  constructor(
    message: string,
    /** True when the stream is well formed so far but declares more bytes than allowed. */
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'SnappyError';
  }
}

/**
 * Decompresses snappy's block format (what remote write and Loki push send; not the framing
 * format), checking everything a hostile body could get wrong: the declared length against
 * `maxLength` before allocating, every literal and copy against both the input and the declared
 * output, copy offsets against what was written, and that the output is exactly as long as
 * declared. Each element moves the input or output forward, so the loop ends in
 * O(input + output) steps.
 *
 * Why not snappyjs' uncompress: it reads a 4-byte literal length as a signed integer, so a
 * crafted body moves its cursor backwards onto the same tag and never returns (16 bytes are
 * enough; the fuzz test found such bodies, test/ingest/snappyBlock.test.ts keeps one). snappyjs
 * stays the tests' reference compressor.
 */
export function uncompressSnappyBlock(input: Uint8Array, maxLength: number): Buffer {
  const end = input.length;
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end) throw new SnappyError('truncated length preamble');
    if (shift > 28) throw new SnappyError('length preamble longer than 5 bytes');
    const b = input[pos++] as number;
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (length > maxLength) throw new SnappyError(`declares ${length} uncompressed bytes, more than the limit of ${maxLength}`, true);
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  while (pos < end) {
    const tag = input[pos++] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        if (pos + bytes > end) throw new SnappyError('truncated literal length');
        n = 0;
        for (let i = 0; i < bytes; i++) n += (input[pos + i] as number) * 2 ** (8 * i);
        pos += bytes;
      }
      n += 1;
      if (pos + n > end) throw new SnappyError(`literal of ${n} bytes runs past the end of the input`);
      if (at + n > length) throw new SnappyError(`literal of ${n} bytes runs past the declared length ${length}`);
      // Most literals are a few bytes: a loop beats making a subarray to copy from.
      if (n < 32) for (let i = 0; i < n; i++) out[at + i] = input[pos + i] as number;
      else out.set(input.subarray(pos, pos + n), at);
      pos += n;
      at += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw new SnappyError('truncated copy');
      n = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | (input[pos++] as number);
    } else if (kind === 2) {
      if (pos + 2 > end) throw new SnappyError('truncated copy');
      n = 1 + (tag >>> 2);
      offset = (input[pos] as number) | ((input[pos + 1] as number) << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) throw new SnappyError('truncated copy');
      n = 1 + (tag >>> 2);
      offset = ((input[pos] as number) | ((input[pos + 1] as number) << 8) | ((input[pos + 2] as number) << 16)) + (input[pos + 3] as number) * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > at) throw new SnappyError(`copy offset ${offset} at output byte ${at} points outside the output`);
    if (at + n > length) throw new SnappyError(`copy of ${n} bytes runs past the declared length ${length}`);
    // A copy is at most 64 bytes, and may overlap what it writes (a run): byte by byte.
    for (let i = 0; i < n; i++) out[at + i] = out[at - offset + i] as number;
    at += n;
  }
  if (at !== length) throw new SnappyError(`${at} bytes decompressed, the preamble declared ${length}`);
  return out;
}
