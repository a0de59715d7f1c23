import { VigilError } from '../../core/index.js';

/**
 * Decodes a snappy block (the raw format Prometheus remote write and Loki push use, not the
 * framed stream). Written here instead of calling snappyjs' decoder, which loops forever on a
 * 17-byte body whose literal length has the top bit set (it reads the length as a negative
 * 32-bit number and moves backwards): every step below advances, and every length and offset is
 * checked before it is used, so a body is decoded or refused in time linear in its size.
 * Throws VigilError: 'payload_too_large' when the block claims more than maxLength bytes (checked
 * before allocating), 'bad_data' naming the problem otherwise.
 */
export function snappyUncompress(input: Uint8Array, maxLength: number): Buffer {
  const fail = (what: string): never => {
    throw new VigilError('bad_data', `malformed snappy body: ${what}`);
  };
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) fail('bad uncompressed length');
    const b = input[pos++] as number;
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (length > maxLength) throw new VigilError('payload_too_large', `request body is larger than the limit of ${maxLength} bytes after snappy decompression (it claims ${length})`);
  const out = Buffer.allocUnsafe(length);
  let op = 0;
  while (pos < input.length) {
    const tag = input[pos++] as number;
    const type = tag & 3;
    if (type === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (pos + bytes > input.length) fail(`literal length cut short at byte ${pos}`);
        len = 0;
        for (let i = 0; i < bytes; i++) len += (input[pos + i] as number) * 2 ** (8 * i);
        pos += bytes;
      }
      len += 1;
      if (pos + len > input.length) fail(`literal of ${len} bytes runs past the end of the body`);
      if (op + len > length) fail(`data runs past the ${length} bytes claimed`);
      out.set(input.subarray(pos, pos + len), op);
      pos += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (pos + 1 > input.length) fail(`copy cut short at byte ${pos}`);
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | (input[pos] as number);
      pos += 1;
    } else if (type === 2) {
      if (pos + 2 > input.length) fail(`copy cut short at byte ${pos}`);
      len = (tag >>> 2) + 1;
      offset = (input[pos] as number) | ((input[pos + 1] as number) << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) fail(`copy cut short at byte ${pos}`);
      len = (tag >>> 2) + 1;
      offset = (input[pos] as number) + (input[pos + 1] as number) * 0x100 + (input[pos + 2] as number) * 0x10000 + (input[pos + 3] as number) * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > op) fail(`copy offset ${offset} points before the start of the data`);
    if (op + len > length) fail(`data runs past the ${length} bytes claimed`);
    if (offset >= len) out.copyWithin(op, op - offset, op - offset + len);
    else for (let i = 0; i < len; i++) out[op + i] = out[op - offset + i] as number; // overlapping: a run
    op += len;
  }
  if (op !== length) fail(`${op} bytes decoded, ${length} claimed`);
  return out;
}
