import { crc32 } from './crc32.js';

/**
 * The on-disk record format of a segment, little-endian:
 *
 *   u32 bodyLength | u32 crc32(body) | body
 *   body = u64 offset | f64 timestampMs | u16 keyLength | key (UTF-8) | value
 *
 * The length prefix lets a reader skip to the next record; the CRC makes a torn or partly
 * written tail detectable after a crash (the length alone cannot tell a half-written value
 * from a complete one); the offset inside the body lets recovery check that records are
 * dense and lets a reader start from a sparse index entry and skip forward.
 */
export const FRAME_PREFIX_BYTES = 8;
const BODY_FIXED_BYTES = 18;
/** Bytes a record takes on disk besides its key and value. */
export const FRAME_OVERHEAD_BYTES = FRAME_PREFIX_BYTES + BODY_FIXED_BYTES;
export const MAX_KEY_BYTES = 0xffff;

export interface DecodedRecord {
  readonly offset: bigint;
  readonly timestamp: number;
  readonly key: string;
  /** A view into the read buffer; valid as long as the caller keeps it. */
  readonly value: Buffer;
  /** Bytes the whole frame takes on disk. */
  readonly frameBytes: number;
}

/**
 * Builds everything of a frame except the value, which the writer hands to writev as is so a
 * large value is never copied. The CRC covers the header body, the key and the value.
 */
export function encodeFrameHeader(offset: bigint, timestamp: number, key: Buffer, value: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(FRAME_OVERHEAD_BYTES + key.length);
  const bodyLength = BODY_FIXED_BYTES + key.length + value.length;
  header.writeUInt32LE(bodyLength, 0);
  header.writeBigUInt64LE(offset, 8);
  header.writeDoubleLE(timestamp, 16);
  header.writeUInt16LE(key.length, 24);
  key.copy(header, FRAME_OVERHEAD_BYTES);
  const crc = crc32(value, crc32(header.subarray(FRAME_PREFIX_BYTES)));
  header.writeUInt32LE(crc, 4);
  return header;
}

export type FrameParse =
  | { readonly kind: 'record'; readonly record: DecodedRecord }
  /** The buffer ends inside this frame; `needBytes` is the whole frame's size when known. */
  | { readonly kind: 'incomplete'; readonly needBytes: number }
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * Parses the frame starting at `at` in `buf`. `maxBodyBytes` bounds the length prefix so that
 * garbage in a torn tail is reported as corrupt instead of as a huge incomplete frame.
 */
export function parseFrame(buf: Buffer, at: number, maxBodyBytes: number): FrameParse {
  if (buf.length - at < FRAME_PREFIX_BYTES) return { kind: 'incomplete', needBytes: FRAME_PREFIX_BYTES };
  const bodyLength = buf.readUInt32LE(at);
  if (bodyLength < BODY_FIXED_BYTES || bodyLength > maxBodyBytes) {
    return { kind: 'corrupt', reason: `frame length ${bodyLength} out of range` };
  }
  const frameBytes = FRAME_PREFIX_BYTES + bodyLength;
  if (buf.length - at < frameBytes) return { kind: 'incomplete', needBytes: frameBytes };
  const body = buf.subarray(at + FRAME_PREFIX_BYTES, at + frameBytes);
  if (crc32(body) !== buf.readUInt32LE(at + 4)) return { kind: 'corrupt', reason: 'checksum mismatch' };
  const keyLength = body.readUInt16LE(16);
  if (BODY_FIXED_BYTES + keyLength > bodyLength) return { kind: 'corrupt', reason: 'key longer than frame' };
  return {
    kind: 'record',
    record: {
      offset: body.readBigUInt64LE(0),
      timestamp: body.readDoubleLE(8),
      key: body.toString('utf8', BODY_FIXED_BYTES, BODY_FIXED_BYTES + keyLength),
      value: body.subarray(BODY_FIXED_BYTES + keyLength),
      frameBytes,
    },
  };
}
