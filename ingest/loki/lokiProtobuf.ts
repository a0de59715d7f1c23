import { VigilError } from '../../core/index.js';
import { parseLokiLabels } from './lokiLabels.js';
import type { LokiEntry, LokiStream } from './lokiPushRequest.js';
import { NO_METADATA } from './lokiPushRequest.js';

/**
 * A hand-rolled reader of logproto.PushRequest (pkg/push/push.proto), the body promtail, Alloy
 * and the Loki clients send (after snappy):
 *   PushRequest   { repeated StreamAdapter streams = 1; }
 *   StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
 *   EntryAdapter  { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
 *   LabelPairAdapter { string name = 1; string value = 2; }
 *   Timestamp     { int64 seconds = 1; int32 nanos = 2; }
 * It builds the LokiStream model directly; unknown fields are skipped as protobuf says. Every
 * length is checked against what is left, so a lying length is a 400, never an over-read.
 */
export function decodeLokiProtobuf(body: Uint8Array): LokiStream[] {
  const r = new Reader(body);
  const streams: LokiStream[] = [];
  const labelsCache = new Map<string, LokiStream['labels']>();
  while (r.more(body.length)) {
    const tag = r.varint();
    if (tag === FIELD1_LEN) {
      const end = r.lengthEnd();
      streams.push(readStream(r, end, `streams[${streams.length}]`, labelsCache));
      r.pos = end;
    } else r.skip(tag);
  }
  return streams;
}

const FIELD1_LEN = (1 << 3) | 2;
const FIELD2_LEN = (2 << 3) | 2;
const FIELD3_LEN = (3 << 3) | 2;
const FIELD1_VARINT = 1 << 3;
const FIELD2_VARINT = 2 << 3;

function readStream(r: Reader, end: number, where: string, cache: Map<string, LokiStream['labels']>): LokiStream {
  let labelsText: string | undefined;
  const entries: LokiEntry[] = [];
  while (r.more(end)) {
    const tag = r.varint();
    if (tag === FIELD1_LEN) labelsText = r.string(r.lengthEnd());
    else if (tag === FIELD2_LEN) {
      const e = r.lengthEnd();
      entries.push(readEntry(r, e, `${where}.entries[${entries.length}]`));
      r.pos = e;
    } else r.skip(tag);
  }
  if (labelsText === undefined) throw new VigilError('bad_data', `${where}: the stream has no labels`);
  let labels = cache.get(labelsText);
  if (labels === undefined) {
    labels = parseLokiLabels(labelsText, where);
    cache.set(labelsText, labels);
  }
  return { labels, entries };
}

function readEntry(r: Reader, end: number, where: string): LokiEntry {
  let seconds = 0;
  let nanos = 0;
  let line = '';
  let metadata: Record<string, string> | undefined;
  while (r.more(end)) {
    const tag = r.varint();
    if (tag === FIELD1_LEN) {
      const tEnd = r.lengthEnd();
      while (r.more(tEnd)) {
        const t = r.varint();
        if (t === FIELD1_VARINT) seconds = r.varint();
        else if (t === FIELD2_VARINT) nanos = r.varint();
        else r.skip(t);
      }
      r.pos = tEnd;
    } else if (tag === FIELD2_LEN) line = r.string(r.lengthEnd());
    else if (tag === FIELD3_LEN) {
      const pEnd = r.lengthEnd();
      let name = '';
      let value = '';
      while (r.more(pEnd)) {
        const t = r.varint();
        if (t === FIELD1_LEN) name = r.string(r.lengthEnd());
        else if (t === FIELD2_LEN) value = r.string(r.lengthEnd());
        else r.skip(t);
      }
      r.pos = pEnd;
      (metadata ??= {})[name] = value;
    } else r.skip(tag);
  }
  if (nanos < 0 || nanos > 999_999_999) throw new VigilError('bad_data', `${where}.timestamp: nanos ${nanos} is out of range 0-999999999`);
  return { timeNs: BigInt(seconds) * 1_000_000_000n + BigInt(nanos), line, metadata: metadata ?? NO_METADATA };
}

/** Protobuf wire primitives over one buffer; every error is a 400 with the byte offset. */
class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  more(end: number): boolean {
    return this.pos < end;
  }

  fail(what: string): never {
    throw new VigilError('bad_data', `malformed protobuf PushRequest at byte ${this.pos}: ${what}`);
  }

  /**
   * A varint as a number: exact below 2^53 (every length, tag, timestamp second and nanos a
   * valid request holds); larger values lose precision but stay finite. Negative int64/int32
   * arrive as 10-byte two's complement and read as huge positives, refused by the callers.
   */
  varint(): number {
    const buf = this.buf;
    let result = 0;
    let mul = 1;
    for (let n = 0; n < 10; n++) {
      if (this.pos >= buf.length) this.fail('truncated varint');
      const b = buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** Reads a length prefix and returns where that field ends, checked against the buffer. */
  lengthEnd(): number {
    const len = this.varint();
    const end = this.pos + len;
    if (end > this.buf.length) this.fail(`length ${len} runs past the end of the body`);
    return end;
  }

  string(end: number): string {
    const start = this.pos;
    this.pos = end;
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + start, end - start).toString('utf8');
  }

  skip(tag: number): void {
    switch (tag & 7) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.lengthEnd();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        this.fail(`unsupported wire type ${tag & 7}`);
    }
    if (this.pos > this.buf.length) this.fail('field runs past the end of the body');
  }
}
