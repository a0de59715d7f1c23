/**
 * One error vocabulary for the whole platform, mapped to HTTP once, at the edge, by the table
 * below. Engines throw these; each server's error handler looks the code up in `errorKinds`.
 */
export type VigilErrorCode =
  | 'bad_data' // input failed validation: names the field and what was expected
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'limit_exceeded' // a configured ingestion limit (labels per series, name length, active series, ...) was exceeded
  | 'execution' // the request was valid and ran, but failed: a query over its sample limit, a failed evaluation
  | 'unauthorized' // no credential, or one that is unknown or revoked
  | 'forbidden' // a valid credential without the scope or tenant the route needs
  | 'not_found'
  | 'conflict'
  | 'too_many_requests' // backpressure: retry after `retryAfterMs`
  | 'unavailable' // not ready yet, shutting down
  | 'timeout' // the server's deadline or the request's `timeout` passed
  | 'canceled' // the client went away, or the work was cancelled on purpose
  | 'internal';

/**
 * The `errorType` of Prometheus' error envelope (web/api/v1/api.go), plus the four that Vigil's
 * edge adds for what Prometheus has no word for (auth and backpressure, as Mimir answers them).
 */
export type PromErrorType =
  | 'bad_data'
  | 'execution'
  | 'timeout'
  | 'canceled'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'too_many_requests'
  | 'unauthorized'
  | 'forbidden';

export interface ErrorKind {
  /** The HTTP status every API answers this code with. */
  readonly status: number;
  /** The `errorType` of the Prometheus API's error envelope. */
  readonly promErrorType: PromErrorType;
}

/**
 * The only mapping of error codes to HTTP. Prometheus 2.42's respondError gives: bad_data 400,
 * execution 422, timeout and canceled 503, internal 500, not_found 404 (canceled became 499 only
 * in later releases). Codes Prometheus lacks answer as their HTTP meaning says, with the nearest
 * errorType. docs/API.md lists this table and test/core/errors.test.ts keeps the two equal.
 */
export const errorKinds: Readonly<Record<VigilErrorCode, ErrorKind>> = {
  bad_data: { status: 400, promErrorType: 'bad_data' },
  unsupported_media_type: { status: 415, promErrorType: 'bad_data' },
  payload_too_large: { status: 413, promErrorType: 'bad_data' },
  // Ingestion limits refuse the data as sent (Mimir answers its per-tenant series limits 400).
  limit_exceeded: { status: 400, promErrorType: 'bad_data' },
  execution: { status: 422, promErrorType: 'execution' },
  unauthorized: { status: 401, promErrorType: 'unauthorized' },
  forbidden: { status: 403, promErrorType: 'forbidden' },
  not_found: { status: 404, promErrorType: 'not_found' },
  conflict: { status: 409, promErrorType: 'bad_data' },
  too_many_requests: { status: 429, promErrorType: 'too_many_requests' },
  unavailable: { status: 503, promErrorType: 'unavailable' },
  timeout: { status: 503, promErrorType: 'timeout' },
  canceled: { status: 503, promErrorType: 'canceled' },
  internal: { status: 500, promErrorType: 'internal' },
};

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

/** The HTTP status an error code maps to (from `errorKinds`). */
export function httpStatusOf(code: VigilErrorCode): number {
  return errorKinds[code].status;
}

export function isVigilError(err: unknown): err is VigilError {
  return err instanceof VigilError;
}
