import { VigilError } from '../../core/index.js';
import type { PrepareContext, PreparedWrite } from '../pipeline/prepareWrite.js';
import { prepareWrite } from '../pipeline/prepareWrite.js';
import { Rejections } from '../pipeline/rejections.js';
import { decodeRemoteWrite } from './remoteWriteDecode.js';
import type { RemoteWriteMessage } from './remoteWriteHeaders.js';
import { decodeRemoteWriteV2 } from './remoteWriteV2Decode.js';
import { SnappyError, uncompressSnappyBlock } from '../codec/snappyBlock.js';

/** One remote-write body (headers already checked) and what preparing it needs, away from HTTP. */
export interface RemoteWriteTask extends PrepareContext {
  /** Tells the decode workers this task from an OTLP one. */
  readonly protocol: 'prometheus_remote_write';
  /** 1: prometheus.WriteRequest (remote write 1.0); 2: io.prometheus.write.v2.Request. */
  readonly message: RemoteWriteMessage;
  readonly tenant: string;
  /** The snappy-compressed protobuf body. */
  readonly body: Uint8Array;
}

/** Where remote-write bodies are decoded: a DecodePool (worker threads) or this thread. */
export interface RemoteWriteDecoder {
  decode(task: RemoteWriteTask): Promise<PreparedWrite>;
}

/**
 * Uncompresses (snappy block format, bounded by limits.maxRequestBytes before a byte is
 * allocated: the length is the block's first varint), decodes and prepares a remote-write
 * request: all the CPU work of the request except the bus append. Throws VigilError 413 or 400
 * for a body that cannot be read; readable but invalid data comes back as rejections.
 */
export function prepareRemoteWrite(task: RemoteWriteTask): PreparedWrite {
  const max = task.limits.maxRequestBytes;
  let plain: Buffer;
  try {
    plain = uncompressSnappyBlock(task.body, max);
  } catch (err) {
    if (!(err instanceof SnappyError)) throw err;
    if (err.tooLarge) throw new VigilError('payload_too_large', `request body is larger than the limit of ${max} bytes after snappy decompression`);
    throw new VigilError('bad_data', `malformed snappy body: ${err.message}`);
  }
  const rejections = new Rejections();
  const decoded = task.message === 2 ? decodeRemoteWriteV2(plain, rejections) : decodeRemoteWrite(plain, rejections);
  return prepareWrite({ tenant: task.tenant, series: decoded.series, metadata: decoded.metadata, logs: [], events: [] }, task, rejections);
}

/** Decodes in the calling thread: `ingest.decodeWorkers: 0`, and tests. */
export const inProcessRemoteWriteDecoder: RemoteWriteDecoder = { decode: async (task) => prepareRemoteWrite(task) };
