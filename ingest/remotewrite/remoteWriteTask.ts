import { uncompress } from 'snappyjs';
import { VigilError } from '../../core/index.js';
import type { PrepareContext, PreparedWrite } from '../pipeline/prepareWrite.js';
import { prepareWrite } from '../pipeline/prepareWrite.js';
import { Rejections } from '../pipeline/rejections.js';
import { decodeRemoteWrite } from './remoteWriteDecode.js';

/** One remote-write body (headers already checked) and what preparing it needs, away from HTTP. */
export interface RemoteWriteTask extends PrepareContext {
  /** Tells the decode workers this task from an OTLP one. */
  readonly protocol: 'prometheus_remote_write';
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
  const raw = task.body;
  const compressed = Buffer.isBuffer(raw) ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : raw;
  const max = task.limits.maxRequestBytes;
  let plain: Uint8Array;
  try {
    plain = uncompress(compressed, max);
  } catch (err) {
    const message = (err as Error).message;
    if (message.includes('too big')) throw new VigilError('payload_too_large', `request body is larger than the limit of ${max} bytes after snappy decompression`);
    throw new VigilError('bad_data', `malformed snappy body: ${message}`);
  }
  const rejections = new Rejections();
  const decoded = decodeRemoteWrite(Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength), rejections);
  return prepareWrite({ tenant: task.tenant, series: decoded.series, metadata: decoded.metadata, logs: [], events: [] }, task, rejections);
}

/** Decodes in the calling thread: `ingest.decodeWorkers: 0`, and tests. */
export const inProcessRemoteWriteDecoder: RemoteWriteDecoder = { decode: async (task) => prepareRemoteWrite(task) };
