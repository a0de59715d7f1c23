/** Why a frame was skipped. */
export type BadFrameReason = 'too_large' | 'bad_length';

export interface FrameHandler {
  /** One complete frame (without framing). The buffer is only valid during the call. */
  frame(frame: Buffer): void;
  /** A frame that was skipped; `detail` says why, for the debug log. */
  bad(reason: BadFrameReason, detail: string): void;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
/** Digits of an octet count: enough for any length, few enough to stop at garbage quickly. */
const MAX_COUNT_DIGITS = 10;

/**
 * Splits a TCP byte stream into frames: newline framing (LF, a trailing CR dropped) and, when
 * `octetCounting`, RFC 6587 octet counting ("MSG-LEN SP MSG") — chosen per frame by its first
 * byte, as rsyslog does, since a syslog message starts with "<" and a count with a digit.
 * Memory is bounded by maxFrameBytes: a longer frame is reported and its bytes are discarded as
 * they arrive (up to its declared length, or the next LF), never buffered.
 */
export class FrameDecoder {
  private pending: Buffer | undefined;
  /** Octets of an oversized counted frame still to discard. */
  private skip = 0;
  /** Discarding an oversized line up to its LF. */
  private discardLine = false;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly octetCounting: boolean,
  ) {}

  push(chunk: Buffer, out: FrameHandler): void {
    const data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    const len = data.length;
    let pos = 0;
    while (pos < len) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, len - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      if (this.discardLine) {
        const lf = data.indexOf(LF, pos);
        if (lf < 0) return;
        this.discardLine = false;
        pos = lf + 1;
        continue;
      }
      const c = data[pos] as number;
      if (c === LF || c === CR || c === 0) {
        pos++; // stray separators between frames (some senders end counted frames with LF too)
        continue;
      }
      const next = this.octetCounting && c >= 0x31 && c <= 0x39 ? this.counted(data, pos, out) : this.line(data, pos, out);
      if (next < 0) break; // incomplete: keep the rest for the next chunk
      pos = next;
    }
    if (pos < len && this.skip === 0 && !this.discardLine) this.pending = Buffer.from(data.subarray(pos));
  }

  /** End of stream: a last line without its LF is still a frame (a counted frame cut short is not). */
  end(out: FrameHandler): void {
    const rest = this.pending;
    this.pending = undefined;
    if (rest === undefined || rest.length === 0) return;
    if (this.octetCounting && rest[0] !== undefined && rest[0] >= 0x31 && rest[0] <= 0x39 && /^\d+ /.test(rest.subarray(0, MAX_COUNT_DIGITS + 1).toString('latin1'))) {
      out.bad('bad_length', `connection closed inside a counted frame (${rest.length} bytes received)`);
      return;
    }
    this.emit(rest, 0, rest.length, out);
  }

  /** A counted frame at `pos`: returns the position after it, or -1 when more bytes are needed. */
  private counted(data: Buffer, pos: number, out: FrameHandler): number {
    let i = pos;
    let count = 0;
    while (i < data.length && i - pos < MAX_COUNT_DIGITS) {
      const d = data[i] as number;
      if (d < 0x30 || d > 0x39) break;
      count = count * 10 + d - 0x30;
      i++;
    }
    if (i === data.length) return -1;
    if (data[i] !== SP) {
      out.bad('bad_length', `octet count not followed by a space at ${JSON.stringify(data.subarray(pos, Math.min(i + 1, pos + 16)).toString('latin1'))}`);
      this.discardLine = true;
      return i;
    }
    const start = i + 1;
    if (count > this.maxFrameBytes) {
      out.bad('too_large', `counted frame of ${count} bytes is larger than the limit of ${this.maxFrameBytes}`);
      this.skip = count;
      return start;
    }
    if (data.length - start < count) return -1;
    out.frame(data.subarray(start, start + count));
    return start + count;
  }

  /** A newline-terminated frame at `pos`: returns the position after its LF, or -1 when incomplete. */
  private line(data: Buffer, pos: number, out: FrameHandler): number {
    const lf = data.indexOf(LF, pos);
    if (lf < 0) {
      if (data.length - pos > this.maxFrameBytes) {
        out.bad('too_large', `line longer than the limit of ${this.maxFrameBytes} bytes`);
        this.discardLine = true;
        return data.length;
      }
      return -1;
    }
    this.emit(data, pos, lf, out);
    return lf + 1;
  }

  private emit(data: Buffer, start: number, end: number, out: FrameHandler): void {
    if (end > start && data[end - 1] === CR) end--;
    if (end - start > this.maxFrameBytes) out.bad('too_large', `line of ${end - start} bytes is longer than the limit of ${this.maxFrameBytes}`);
    else if (end > start) out.frame(data.subarray(start, end));
  }
}
