/**
 * One error vocabulary for the whole platform, mapped to HTTP status once, at the edge.
 * Engines throw these; the server's error handler turns `code` into a status and a JSON body.
 */
export type VigilErrorCode =
  | 'bad_data' // input failed validation: names the field and what was expected
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'limit_exceeded' // a configured limit (labels per series, name length, ...) was exceeded
  | 'unauthorized' // no credential, or one that is unknown or revoked
  | 'forbidden' // a valid credential without the scope or tenant the route needs
  | 'not_found'
  | 'conflict'
  | 'too_many_requests' // backpressure: retry after `retryAfterMs`
  | 'unavailable' // not ready yet, shutting down
  | 'timeout'
  | 'internal';

export class VigilError extends Error {
  readonly code: VigilErrorCode;
  /** For `too_many_requests`: how long the client should wait before retrying. */
  readonly retryAfterMs: number | undefined;

  constructor(code: VigilErrorCode, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigilError';
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

const statusByCode: Record<VigilErrorCode, number> = {
  bad_data: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  limit_exceeded: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  unavailable: 503,
  timeout: 503,
  internal: 500,
};

/** The HTTP status an error code maps to. The only place this mapping exists. */
export function httpStatusOf(code: VigilErrorCode): number {
  return statusByCode[code];
}

export function isVigilError(err: unknown): err is VigilError {
  return err instanceof VigilError;
}
