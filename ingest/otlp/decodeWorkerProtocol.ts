import type { VigilErrorCode } from '../../core/index.js';
import { isVigilError, VigilError } from '../../core/index.js';
import type { PreparedWrite } from '../pipeline/prepareWrite.js';
import type { RemoteWriteTask } from '../remotewrite/remoteWriteTask.js';
import type { OtlpDecodeTask } from './otlpDecode.js';

/** What a decode worker decodes: an OTLP request, or a remote-write one (told apart by `protocol`). */
export type DecodeTask = OtlpDecodeTask | RemoteWriteTask;

/** Main thread → decode worker: one request body to decode (its buffer transferred). */
export interface DecodeRequestMessage {
  readonly id: number;
  readonly task: DecodeTask;
}

/** A VigilError as it crosses a thread boundary (Error objects lose their class on the way). */
export interface WireError {
  readonly code: VigilErrorCode;
  readonly message: string;
  readonly retryAfterMs: number | undefined;
}

/** Decode worker → main thread: the prepared write (record buffers transferred) or the error. */
export type DecodeReplyMessage = { readonly id: number; readonly prepared: PreparedWrite } | { readonly id: number; readonly error: WireError };

/** Any error as a WireError: a VigilError keeps its code; anything else is 'internal'. */
export function toWireError(err: unknown): WireError {
  if (isVigilError(err)) return { code: err.code, message: err.message, retryAfterMs: err.retryAfterMs };
  return { code: 'internal', message: `OTLP decoding failed: ${err instanceof Error ? err.message : String(err)}`, retryAfterMs: undefined };
}

export function fromWireError(e: WireError): VigilError {
  return new VigilError(e.code, e.message, e.retryAfterMs === undefined ? undefined : { retryAfterMs: e.retryAfterMs });
}

/**
 * Makes every record buffer of `prepared` own its whole ArrayBuffer (copying the few that are
 * slices of a shared pool, as small Buffers are) and returns those ArrayBuffers, to transfer.
 */
export function transferablesOf(prepared: PreparedWrite): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const topic of prepared.topics) {
    for (let i = 0; i < topic.values.length; i++) {
      let value = topic.values[i] as Uint8Array;
      if (!ownsBuffer(value) || buffers.has(value.buffer as ArrayBuffer)) {
        value = new Uint8Array(value);
        topic.values[i] = value;
      }
      buffers.add(value.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

/** True when `bytes` spans its whole ArrayBuffer, so transferring that buffer moves nothing else. */
export function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}
