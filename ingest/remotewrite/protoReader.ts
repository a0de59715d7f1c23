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
   * within ±2^53, the nearest double beyond (a millisecond timestamp is far inside).
   */
  int64(): number {
    const { buf, limit } = this;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    // Bytes 0-3 fill bits 0-27 of the low word, byte 4 bits 28-31 of it and 0-2 of the high word.
    for (let i = 0; i < 10; i++) {
      if (pos >= limit) throw new ProtoError('truncated varint');
      const b = buf[pos++] as number;
      const bits = b & 0x7f;
      if (i < 4) low += bits * 2 ** (7 * i);
      else if (i === 4) {
        low += (bits & 0x0f) * 2 ** 28;
        high += bits >>> 4;
      } else high += bits * 2 ** (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        high = high % TWO_32; // bits past 64 are dropped, as every protobuf runtime does
        return high >= 2 ** 31 ? (high - TWO_32) * TWO_32 + low : high * TWO_32 + low;
      }
    }
    throw new ProtoError('varint longer than 10 bytes');
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

  /** A length-delimited UTF-8 string (invalid sequences become U+FFFD, as Buffer decodes them). */
  string(): string {
    const end = this.lengthEnd();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
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
