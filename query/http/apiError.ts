import type { VigilErrorCode } from '../../core/index.js';
import { capMessage, isVigilError } from '../../core/index.js';
import type { PromErrorType } from './promJson.js';

export interface PromError {
  readonly status: number;
  readonly errorType: PromErrorType;
  readonly message: string;
  /** For 429: how long the client should wait (the Retry-After header). */
  readonly retryAfterMs?: number;
}

/**
 * Maps any error to the status and errorType Prometheus would answer with: bad input 400
 * bad_data, a query that ran but failed 422 execution, timeouts 503 timeout, a store that is
 * not ready 503 unavailable; anything unexpected (a failing store) 500 internal.
 */
const byCode: Partial<Record<VigilErrorCode, { status: number; errorType: PromErrorType }>> = {
  bad_data: { status: 400, errorType: 'bad_data' },
  unsupported_media_type: { status: 415, errorType: 'bad_data' },
  payload_too_large: { status: 413, errorType: 'bad_data' },
  limit_exceeded: { status: 422, errorType: 'execution' },
  not_found: { status: 404, errorType: 'not_found' },
  unauthorized: { status: 401, errorType: 'unauthorized' },
  forbidden: { status: 403, errorType: 'forbidden' },
  timeout: { status: 503, errorType: 'timeout' },
  unavailable: { status: 503, errorType: 'unavailable' },
  // A tenant over its query limits: Mimir's 429 "too many outstanding requests".
  too_many_requests: { status: 429, errorType: 'too_many_requests' },
};

export function toPromError(err: unknown): PromError {
  if (isVigilError(err)) {
    const mapped = byCode[err.code] ?? { status: 500, errorType: 'internal' as const };
    const message = capMessage(err.message);
    return err.retryAfterMs === undefined ? { ...mapped, message } : { ...mapped, message, retryAfterMs: err.retryAfterMs };
  }
  // Fastify's own errors (bad content type, body too large, malformed body) carry a 4xx status.
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  // Capped: whatever an error interpolated, the answer stays under 1 KiB.
  const message = capMessage(err instanceof Error ? err.message : String(err));
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, errorType: 'bad_data', message };
  return { status: 500, errorType: 'internal', message };
}
