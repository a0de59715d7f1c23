/** Thrown for bytes that are not valid protobuf; the decoder turns it into a 400 naming the field. */
export class ProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const TWO_32 = 4294967296;

/** Strings up to this many bytes are looked up in the cache (label names and most values). */
const MAX_CACHED_CHARS = 64;
const CACHE_MASK = 4095;
/** Shared by every reader of this thread: at most 4096 strings of 64 characters (~0.5 MB). */
const stringCache: (string | undefined)[] = new Array<string | undefined>(CACHE_MASK + 1);

/**
 * A cursor over protobuf bytes that reads exactly what a decoder asks for and nothing else: no
 * message objects, no Long objects, strings sliced straight from the buffer. Every read checks
 * the bounds of the enclosing message (`limit`), so a length that claims more bytes than follow,
 * a truncated varint or an unknown wire type is a ProtoError, never an over-read or a huge
 * allocation. Groups (wire types 3 and 4, deprecated since proto2) are refused: remote write
 * never uses them, and skipping them needs recursion.
 */
export class ProtoReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Buffer,
    /** End of the readable bytes (exclusive). */
    public limit: number = buf.length,
  ) {
    this.pos = 0;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A varint that must fit in 32 bits unsigned (tags, lengths, enums). */
  uint32(): number {
    const { buf, limit } = this;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= limit) throw new ProtoError('truncated varint');
      const b = buf[pos++] as number;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.pos = pos;
        if (result >= TWO_32) throw new ProtoError(`varint ${result} does not fit in 32 bits`);
        return result;
      }
    }
    throw new ProtoError('varint longer than 32 bits');
  }

  /**
   * An int64 varint (two's complement, so negative values take ten bytes) as a number: exact
   * within ±2^53, the nearest double beyond (a millisecond timestamp is far inside). Read as two
   * 32-bit halves with integer operations, as protobufjs reads longs.
   */
  int64(): number {
    const { buf, limit } = this;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let i = 0;
    // Bytes 0-3 fill bits 0-27 of the low half.
    for (; i < 4; i++) {
      if (pos >= limit) throw new ProtoError('truncated varint');
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        this.pos = pos;
        return lo;
      }
    }
    // Byte 4: bits 28-31 of the low half, bits 0-2 of the high half.
    if (pos >= limit) throw new ProtoError('truncated varint');
    b = buf[pos++] as number;
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    hi = (b & 0x7f) >>> 4;
    // Bytes 5-9: bits 3-31 of the high half (bits past 64 are dropped, as every runtime does).
    for (i = 0; b >= 0x80; i++) {
      if (i === 5) throw new ProtoError('varint longer than 10 bytes');
      if (pos >= limit) throw new ProtoError('truncated varint');
      b = buf[pos++] as number;
      hi |= (b & 0x7f) << (7 * i + 3);
    }
    this.pos = pos;
    return (hi | 0) * TWO_32 + lo;
  }

  /** A little-endian float64 (wire type 1); NaN payloads such as the staleness marker pass through. */
  double(): number {
    if (this.pos + 8 > this.limit) throw new ProtoError('truncated double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns where that many bytes end, after checking they are there. */
  lengthEnd(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.limit) throw new ProtoError(`length ${length} runs past the end of its message (${this.limit - this.pos} bytes left)`);
    return end;
  }

  /**
   * A length-delimited UTF-8 string (invalid sequences become U+FFFD, as Buffer decodes them).
   * Label names and values repeat across series and requests, so short ASCII strings come from
   * a small cache checked byte by byte: no allocation and no call into C++ for the common case.
   */
  string(): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    const n = end - start;
    if (n === 0) return '';
    if (n > MAX_CACHED_CHARS) return this.buf.toString('utf8', start, end);
    const { buf } = this;
    let h = n;
    for (let i = start; i < end; i++) {
      const b = buf[i] as number;
      if (b >= 0x80) return buf.toString('utf8', start, end);
      h = Math.imul(h ^ b, 0x01000193);
    }
    const slot = (h >>> 0) & CACHE_MASK;
    const cached = stringCache[slot];
    if (cached !== undefined && cached.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (cached.charCodeAt(i) !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const s = buf.toString('latin1', start, end); // ASCII: latin1 decodes it the same, faster
    stringCache[slot] = s;
    return s;
  }

  /** Skips one field of `wireType` whose tag was just read. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.int64();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw new ProtoError(`unsupported wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.limit) throw new ProtoError('truncated field');
    this.pos += n;
  }
}
