import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parseJsonSafely, quote, VigilError } from '../../core/index.js';

const gunzipAsync = promisify(gunzip);

export type OtlpEncoding = 'json' | 'protobuf';

/** The encoding named by a Content-Type header; anything else is a 415 naming the type. */
export function requestEncoding(contentType: string | undefined): OtlpEncoding {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  if (contentType === undefined) throw new VigilError('unsupported_media_type', 'missing Content-Type: OTLP/HTTP accepts application/x-protobuf or application/json');
  throw new VigilError(
    'unsupported_media_type',
    `unsupported content type ${quote(contentType ?? '')}: OTLP/HTTP accepts application/x-protobuf or application/json`,
  );
}

/** The encoding to answer in: the request's, or JSON when the request's was not acceptable. */
export function responseEncoding(contentType: string | undefined): OtlpEncoding {
  return (contentType ?? '').toLowerCase().includes('application/x-protobuf') ? 'protobuf' : 'json';
}

/**
 * The body after Content-Encoding: gzip is inflated with the same size limit as plain bodies,
 * so a small compressed body cannot expand past it.
 */
export async function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return body;
  if (encoding !== 'gzip') {
    throw new VigilError('unsupported_media_type', `unsupported content encoding ${quote(contentEncoding ?? '')}: use gzip or none`);
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new VigilError('payload_too_large', `request body is larger than the limit of ${maxBytes} bytes after gzip decompression`);
    }
    throw new VigilError('bad_data', `malformed gzip body: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Parses an OTLP JSON body: nesting deeper than `maxDepth` is a 400 naming the path (the mapper
 * recurses through AnyValues), a syntax error a 400 with the parser's (short) message.
 */
export function parseJsonBody(body: Buffer, maxDepth: number): unknown {
  return parseJsonSafely(body.toString('utf8'), { maxDepth, what: 'body' });
}
