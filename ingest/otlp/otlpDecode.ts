import type { WriteRequest } from '../../core/index.js';
import type { PrepareContext, PreparedWrite } from '../pipeline/prepareWrite.js';
import { prepareWrite } from '../pipeline/prepareWrite.js';
import { Rejections } from '../pipeline/rejections.js';
import type { OtlpEncoding } from './otlpBody.js';
import { decodeContentEncoding, parseJsonBody } from './otlpBody.js';
import { otlpLogsToWriteRequest } from './otlpLogsToWriteRequest.js';
import { otlpMetricsToWriteRequest } from './otlpMetricsToWriteRequest.js';
import { decodeProtobuf, otlpTypes } from './otlpProto.js';
import type { OtlpSignal } from './otlpResponse.js';

/** One OTLP request body and everything needed to turn it into bus records, away from HTTP. */
export interface OtlpDecodeTask extends PrepareContext {
  readonly signal: OtlpSignal;
  readonly encoding: OtlpEncoding;
  /** The Content-Encoding header, if any ('gzip' or 'identity'). */
  readonly contentEncoding: string | undefined;
  readonly tenant: string;
  readonly body: Uint8Array;
}

/**
 * Turns OTLP requests into prepared writes. Rejects with a VigilError for a body that cannot be
 * read (415, 413, 400 naming the problem, or 429/503 from a worker pool); data that can be read
 * but is invalid comes back as rejections or the prepared write's `error`.
 */
export interface OtlpDecoder {
  decode(task: OtlpDecodeTask): Promise<PreparedWrite>;
}

/**
 * Decompresses, parses and maps an OTLP request, then validates, splits and encodes it: all the
 * CPU work of an ingest request except the bus append. Runs in the caller's thread (in-process
 * decoding) or in a decode worker.
 */
export async function decodeOtlp(task: OtlpDecodeTask): Promise<PreparedWrite> {
  const raw = Buffer.isBuffer(task.body) ? task.body : Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength);
  const body = await decodeContentEncoding(raw, task.contentEncoding, task.limits.maxRequestBytes);
  const rejections = new Rejections();
  let req: WriteRequest;
  if (task.signal === 'metrics') {
    const message = task.encoding === 'json' ? parseJsonBody(body, task.limits.maxJsonDepth) : decodeProtobuf(otlpTypes.metricsRequest, body);
    req = otlpMetricsToWriteRequest(message, task.tenant, rejections);
  } else {
    const message = task.encoding === 'json' ? parseJsonBody(body, task.limits.maxJsonDepth) : decodeProtobuf(otlpTypes.logsRequest, body);
    req = otlpLogsToWriteRequest(message, task.tenant, BigInt(Math.floor(task.nowMs)) * 1_000_000n);
  }
  return prepareWrite(req, task, rejections);
}

/** Decodes in the calling thread: `ingest.decodeWorkers: 0`, and tests. */
export const inProcessDecoder: OtlpDecoder = { decode: decodeOtlp };
