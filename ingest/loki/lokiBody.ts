import snappy from 'snappyjs';
import { quote, VigilError } from '../../core/index.js';
import { decodeContentEncoding } from '../otlp/otlpBody.js';
import { decodeLokiJson } from './lokiJson.js';
import { decodeLokiProtobuf } from './lokiProtobuf.js';
import type { LokiStream } from './lokiPushRequest.js';

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
  let proto: Uint8Array;
  try {
    proto = snappy.uncompress(new Uint8Array(plain.buffer, plain.byteOffset, plain.length), limits.maxRequestBytes);
  } catch (err) {
    const message = (err as Error).message;
    if (message.includes('too big')) throw new VigilError('payload_too_large', `request body is larger than the limit of ${limits.maxRequestBytes} bytes after snappy decompression`);
    throw new VigilError('bad_data', `malformed snappy body: ${message} (protobuf pushes are snappy block-compressed)`);
  }
  return decodeLokiProtobuf(proto);
}
