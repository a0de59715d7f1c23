import { VigilError } from '../../core/index.js';
import type { LabelMatcher, SeriesSamples } from '../../storage/index.js';
import { isTooManySamples, throwIfAborted, TOO_MANY_SAMPLES } from '../../storage/index.js';
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
  /**
   * Aborting it cancels the query: the store stops its running statement, and the query fails
   * with the signal's reason when that is a VigilError, else VigilError('timeout'). The HTTP
   * layer passes its deadline and the client's disconnect here.
   */
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

  const tooMany = (opts: QueryOptions): VigilError => {
    // Prometheus' message, word for word, then which limit it was when the caller named one.
    const name = opts.maxSamples === undefined ? '' : ` (${opts.maxSamples.name})`;
    return new VigilError('execution', `${TOO_MANY_SAMPLES}${name}`);
  };

  const checkSamples = (series: readonly SeriesSamples[] | readonly MatrixSeries[], opts: QueryOptions): void => {
    let n = 0;
    for (const s of series) n += 'samples' in s ? s.samples.length : s.points.length;
    if (n > (opts.maxSamples?.limit ?? maxSamples)) throw tooMany(opts);
  };

  /**
   * Reads a selector's samples. The querier gets the query's signal (an abort interrupts the
   * store's work, not only this promise) and the sample budget, which the store counts while
   * reading; the count is checked again here for stores that load first and count after.
   */
  const select = async (queryable: Queryable, minT: number, maxT: number, matchers: readonly LabelMatcher[], opts: QueryOptions): Promise<SeriesSamples[]> => {
    throwIfAborted(opts.signal);
    const querier = queryable.querier(minT, maxT, opts.signal === undefined ? {} : { signal: opts.signal });
    let series: SeriesSamples[];
    try {
      series = await querier.selectSamples(matchers, { maxSamples: opts.maxSamples?.limit ?? maxSamples });
    } catch (err) {
      throw isTooManySamples(err) ? tooMany(opts) : err;
    }
    throwIfAborted(opts.signal);
    checkSamples(series, opts);
    return series;
  };

  return {
    lookbackDeltaMs,

    async instantQuery(queryable, query, timeMs, opts = {}) {
      const expr = supportedExpr(typeof query === 'string' ? parseExpr(query) : query);
      switch (expr.type) {
        case 'VectorSelector': {
          const series = await select(queryable, timeMs - lookbackDeltaMs + 1, timeMs, expr.matchers, opts);
          return { resultType: 'vector', result: sortByLabels(instantVector(series, timeMs, lookbackDeltaMs)) };
        }
        case 'MatrixSelector': {
          const series = await select(queryable, timeMs - expr.rangeMs + 1, timeMs, expr.vector.matchers, opts);
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
      const series = await select(queryable, startMs - lookbackDeltaMs + 1, endMs, expr.matchers, opts);
      const matrix = stepVector(series, startMs, endMs, stepMs, lookbackDeltaMs);
      checkSamples(matrix, opts);
      return { resultType: 'matrix', result: sortByLabels(matrix) };
    },
  };
}
