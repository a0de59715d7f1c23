import { VigilError } from '../../core/index.js';
import type { SeriesSamples } from '../../storage/index.js';
import type { Expr } from '../promql/index.js';
import { parseExpr } from '../promql/index.js';
import { sortByLabels } from './labelOrder.js';
import { supportedExpr } from './supported.js';
import { instantVector, rangeVector, stepVector } from './selectors.js';
import type { MatrixSeries, Queryable, QueryValue } from './types.js';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (Prometheus' --query.lookback-delta). Default 5 minutes. */
  readonly lookbackDeltaMs?: number;
  /** Most samples one query may read or return before it fails (Prometheus' --query.max-samples). Default 50 million. */
  readonly maxSamples?: number;
}

export interface QueryOptions {
  /** Aborting it fails the query with a VigilError('timeout'); the HTTP layer passes its deadline here. */
  readonly signal?: AbortSignal;
  /**
   * This query's sample limit instead of the engine's maxSamples (the HTTP layer passes the
   * tenant's); `name` is appended to the error so that it says which limit to raise.
   */
  readonly maxSamples?: { readonly limit: number; readonly name: string };
}

/**
 * Evaluates PromQL. The store comes with each query (a Queryable bound to a tenant), so one
 * engine serves every tenant. Errors are VigilErrors: 'bad_data' for a query that cannot run
 * (parse errors, wrong expression type), 'execution' for too many samples (Prometheus' 422), 'timeout'
 * when the signal aborts; whatever the querier throws passes through unchanged.
 */
export interface Engine {
  /** Evaluates `query` at `timeMs`: a vector for instant expressions, a matrix for range selectors. */
  instantQuery(queryable: Queryable, query: string | Expr, timeMs: number, options?: QueryOptions): Promise<QueryValue>;
  /** Evaluates `query` at start, start + step, … ≤ end: always a matrix, sorted by labels. */
  rangeQuery(queryable: Queryable, query: string | Expr, startMs: number, endMs: number, stepMs: number, options?: QueryOptions): Promise<QueryValue>;
  readonly lookbackDeltaMs: number;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const lookbackDeltaMs = options.lookbackDeltaMs ?? 5 * 60 * 1000;
  const maxSamples = options.maxSamples ?? 50_000_000;
  if (!(lookbackDeltaMs > 0)) throw new VigilError('bad_data', `lookbackDeltaMs must be positive, got ${lookbackDeltaMs}`);

  const checkSamples = (series: readonly SeriesSamples[] | readonly MatrixSeries[], opts: QueryOptions): void => {
    let n = 0;
    for (const s of series) n += 'samples' in s ? s.samples.length : s.points.length;
    const limit = opts.maxSamples?.limit ?? maxSamples;
    if (n > limit) {
      // Prometheus' message, word for word, then which limit it was when the caller named one.
      const name = opts.maxSamples === undefined ? '' : ` (${opts.maxSamples.name})`;
      throw new VigilError('execution', `query processing would load too many samples into memory in query execution${name}`);
    }
  };

  return {
    lookbackDeltaMs,

    async instantQuery(queryable, query, timeMs, opts = {}) {
      const expr = supportedExpr(typeof query === 'string' ? parseExpr(query) : query);
      switch (expr.type) {
        case 'VectorSelector': {
          const series = await abortable(queryable.querier(timeMs - lookbackDeltaMs + 1, timeMs).selectSamples(expr.matchers), opts.signal);
          checkSamples(series, opts);
          return { resultType: 'vector', result: sortByLabels(instantVector(series, timeMs, lookbackDeltaMs)) };
        }
        case 'MatrixSelector': {
          const q = queryable.querier(timeMs - expr.rangeMs + 1, timeMs);
          const series = await abortable(q.selectSamples(expr.vector.matchers), opts.signal);
          checkSamples(series, opts);
          return { resultType: 'matrix', result: sortByLabels(rangeVector(series, timeMs, expr.rangeMs)) };
        }
      }
    },

    async rangeQuery(queryable, query, startMs, endMs, stepMs, opts = {}) {
      if (!(stepMs > 0)) throw new VigilError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
      if (endMs < startMs) throw new VigilError('bad_data', 'end timestamp must not be before start time');
      const expr = supportedExpr(typeof query === 'string' ? parseExpr(query) : query);
      if (expr.type === 'MatrixSelector') {
        throw new VigilError('bad_data', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector');
      }
      const q = queryable.querier(startMs - lookbackDeltaMs + 1, endMs);
      const series = await abortable(q.selectSamples(expr.matchers), opts.signal);
      checkSamples(series, opts);
      const matrix = stepVector(series, startMs, endMs, stepMs, lookbackDeltaMs);
      checkSamples(matrix, opts);
      return { resultType: 'matrix', result: sortByLabels(matrix) };
    },
  };
}

/** Rejects with a timeout as soon as the signal aborts, even if the store call is still running. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  const timeout = (): VigilError => new VigilError('timeout', 'query timed out in expression evaluation');
  if (signal.aborted) {
    work.catch(() => undefined); // the result is no longer wanted; do not leave its failure unhandled
    return Promise.reject(timeout());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(timeout());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
