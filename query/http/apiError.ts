import type { PromErrorType } from '../../core/index.js';
import { capMessage, errorKinds, isVigilError } from '../../core/index.js';

export interface PromError {
  readonly status: number;
  readonly errorType: PromErrorType;
  readonly message: string;
  /** For 429: how long the client should wait (the Retry-After header). */
  readonly retryAfterMs?: number;
}

/**
 * Maps any error to the status and errorType Prometheus would answer with. A VigilError is
 * looked up in core's errorKinds, the platform's one table; anything else is unexpected (a
 * failing store): 500 internal, unless it is one of Fastify's own 4xx errors.
 */
export function toPromError(err: unknown): PromError {
  if (isVigilError(err)) {
    const { status, promErrorType } = errorKinds[err.code];
    const message = capMessage(err.message);
    const e = { status, errorType: promErrorType, message };
    return err.retryAfterMs === undefined ? e : { ...e, retryAfterMs: err.retryAfterMs };
  }
  // Fastify's own errors (bad content type, body too large, malformed body) carry a 4xx status.
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  // Capped: whatever an error interpolated, the answer stays under 1 KiB.
  const message = capMessage(err instanceof Error ? err.message : String(err));
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, errorType: 'bad_data', message };
  return { status: 500, errorType: 'internal', message };
}
