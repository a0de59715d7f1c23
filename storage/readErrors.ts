import { VigilError } from '../core/index.js';

/**
 * How a read ends early, the same for every backend, so that callers (the engine, the HTTP API)
 * recognise it whatever store answered.
 */

/** Prometheus' word for a query over its sample budget (--query.max-samples). */
export const TOO_MANY_SAMPLES = 'query processing would load too many samples into memory in query execution';

export function tooManySamples(): VigilError {
  return new VigilError('limit_exceeded', TOO_MANY_SAMPLES);
}

/** Cortex's and Loki's words for a query over its series limit (Prometheus has none). */
export function tooManySeries(limit: number): VigilError {
  return new VigilError('limit_exceeded', `the query hit the max number of series limit (limit: ${limit} series)`);
}

export function isTooManySeries(err: unknown): boolean {
  return err instanceof VigilError && err.code === 'limit_exceeded' && err.message.startsWith('the query hit the max number of series limit');
}

export function isTooManySamples(err: unknown): boolean {
  return err instanceof VigilError && err.code === 'limit_exceeded' && err.message === TOO_MANY_SAMPLES;
}

/**
 * The error a read rejects with once `signal` has aborted: the signal's reason when the caller
 * gave a VigilError (e.g. the client went away), else Prometheus' timeout.
 */
export function abortError(signal: AbortSignal): VigilError {
  const reason: unknown = signal.reason;
  if (reason instanceof VigilError) return reason;
  return new VigilError('timeout', 'query timed out in expression evaluation', { cause: reason });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortError(signal);
}
