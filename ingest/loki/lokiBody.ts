import { quote, VigilError } from '../../core/index.js';
import { SnappyError, uncompressSnappyBlock } from '../codec/snappyBlock.js';
import { decodeContentEncoding } from '../otlp/otlpBody.js';
import { decodeLokiJson } from './lokiJson.js';
import { decodeLokiProtobuf } from './lokiProtobuf.js';
import type { LokiStream } from './lokiPushRequest.js';

const MAX_SNAPPY_RATIO = 24;

/** The uncompressed length a snappy block starts with (a varint); -1 when unreadable. */
function snappyLength(b: Buffer): number {
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < b.length; i++) {
    const byte = b[i] as number;
    n += (byte & 0x7f) * mul;
    if (byte < 0x80) return n;
    mul *= 128;
  }
  return -1;
}

export interface LokiBodyLimits {
  /** Largest body before and after any decompression. */
  readonly maxRequestBytes: number;
  readonly maxJsonDepth: number;
}

/**
 * A push body as Loki's distributor reads it: Content-Encoding (gzip) first, then by Content-Type
 * JSON, or snappy-compressed protobuf — the default when no Content-Type is given, as in Loki.
 */
export async function decodeLokiBody(body: Buffer, contentType: string | undefined, contentEncoding: string | undefined, limits: LokiBodyLimits): Promise<LokiStream[]> {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const isJson = media === 'application/json';
  if (!isJson && media !== '' && media !== 'application/x-protobuf') {
    throw new VigilError('unsupported_media_type', `unsupported content type ${quote(contentType ?? '')}: Loki push accepts application/x-protobuf (snappy) or application/json`);
  }
  const plain = await decodeContentEncoding(body, contentEncoding, limits.maxRequestBytes);
  if (isJson) return decodeLokiJson(plain, limits.maxJsonDepth);
  const claimed = snappyLength(plain);
  // Snappy expands at most ~21× (a 3-byte copy of 64 bytes): a body claiming more is lying, and
  // refusing it here keeps a 20-byte request from making us allocate the full limit.
  if (claimed > plain.length * MAX_SNAPPY_RATIO + 64 && claimed <= limits.maxRequestBytes) {
    throw new VigilError('bad_data', `malformed snappy body: ${plain.length} bytes cannot inflate to the ${claimed} bytes claimed`);
  }
  return decodeLokiProtobuf(unsnappy(plain, limits.maxRequestBytes));
}

/** The shared snappy decoder, its errors as the push API's: 413 past the size limit, else 400. */
function unsnappy(body: Buffer, maxBytes: number): Buffer {
  try {
    return uncompressSnappyBlock(body, maxBytes);
  } catch (err) {
    if (!(err instanceof SnappyError)) throw err;
    if (err.tooLarge) throw new VigilError('payload_too_large', `request body is larger than the limit of ${maxBytes} bytes after snappy decompression`);
    throw new VigilError('bad_data', `malformed snappy body: ${err.message}`);
  }
}
