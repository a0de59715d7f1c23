import { quote, VigilError } from '../../core/index.js';
import type { Expr } from '../promql/index.js';
import { documentedType, parseExpr, valueTypeOf } from '../promql/index.js';
import type { EvalContext, StepValue } from './evalTypes.js';
import { evaluator } from './evaluator.js';
import { instantResult } from './instantResult.js';
import { sortByLabels } from './labelOrder.js';
import { SampleBudget } from './sampleBudget.js';
import { seriesToMatrix } from './seriesSteps.js';
import { countPoints, scalarStepsToMatrix, vectorStepsToMatrix } from './stepMatrix.js';
import type { Steps } from './stepTimes.js';
import { singleStep, stepsOf } from './stepTimes.js';
import type { MatrixSeries, Queryable, QueryValue } from './types.js';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (Prometheus' --query.lookback-delta). Default 5 minutes. */
  readonly lookbackDeltaMs?: number;
  /** Most samples one query may hold, counted across the query (Prometheus' --query.max-samples). Default 50 million. */
  readonly maxSamples?: number;
  /** The step of a subquery written without one (`x[1h:]`): Prometheus' global evaluation_interval. Default 1 minute. */
  readonly evaluationIntervalMs?: number;
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
  /** This query's series limit across its selectors (the HTTP layer passes the tenant's); none by default. */
  readonly maxSeries?: { readonly limit: number; readonly name: string };
}

/**
 * Evaluates PromQL as Prometheus 2.42 does. The store comes with each query (a Queryable bound
 * to a tenant), so one engine serves every tenant. Errors are VigilErrors: 'bad_data' for a
 * query that cannot run (parse errors, wrong expression type), 'execution' for run-time errors
 * (too many samples: Prometheus' 422; duplicate label sets), 'timeout' when the signal aborts;
 * whatever the querier throws passes through unchanged.
 */
export interface Engine {
  /**
   * Evaluates `query` at `timeMs`: a vector, scalar or string for instant expressions, a matrix
   * for range vectors. Vectors are sorted by labels, except that sort(), sort_desc(), topk() and
   * bottomk() at the top keep their own order, as Prometheus' instant queries do.
   */
  instantQuery(queryable: Queryable, query: string | Expr, timeMs: number, options?: QueryOptions): Promise<QueryValue>;
  /** Evaluates `query` at start, start + step, … ≤ end: always a matrix, sorted by labels. */
  rangeQuery(queryable: Queryable, query: string | Expr, startMs: number, endMs: number, stepMs: number, options?: QueryOptions): Promise<QueryValue>;
  readonly lookbackDeltaMs: number;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const lookbackDeltaMs = options.lookbackDeltaMs ?? 5 * 60 * 1000;
  const maxSamples = options.maxSamples ?? 50_000_000;
  const evaluationIntervalMs = options.evaluationIntervalMs ?? 60 * 1000;
  if (!(lookbackDeltaMs > 0)) throw new VigilError('bad_data', `lookbackDeltaMs must be positive, got ${lookbackDeltaMs}`);
  if (!(evaluationIntervalMs > 0)) throw new VigilError('bad_data', `evaluationIntervalMs must be positive, got ${evaluationIntervalMs}`);

  const context = (queryable: Queryable, startMs: number, endMs: number, opts: QueryOptions): EvalContext => ({
    queryable,
    signal: opts.signal,
    budget: new SampleBudget(opts.maxSamples?.limit ?? maxSamples, opts.maxSamples?.name, opts.maxSeries?.limit, opts.maxSeries?.name),
    lookbackDeltaMs,
    defaultSubqueryStepMs: evaluationIntervalMs,
    queryStartMs: startMs,
    queryEndMs: endMs,
  });

  return {
    lookbackDeltaMs,

    async instantQuery(queryable, query, timeMs, opts = {}) {
      const expr = typeof query === 'string' ? parseExpr(query) : query;
      const ctx = context(queryable, timeMs, timeMs, opts);
      // The interval of a one-step pass matters only to step-invariant repetition, which needs more than one step.
      const value = await evaluator(ctx)(expr, singleStep(timeMs, 1));
      const result = instantResult(expr, value, timeMs);
      ctx.budget.checkResult(result.resultType === 'vector' ? result.result.length : result.resultType === 'matrix' ? countPoints(result.result) : 1);
      return result;
    },

    async rangeQuery(queryable, query, startMs, endMs, stepMs, opts = {}) {
      if (!(stepMs > 0)) throw new VigilError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
      if (endMs < startMs) throw new VigilError('bad_data', 'end timestamp must not be before start time');
      const expr = typeof query === 'string' ? parseExpr(query) : query;
      const type = valueTypeOf(expr);
      if (type !== 'vector' && type !== 'scalar') {
        throw new VigilError('bad_data', `invalid expression type ${quote(documentedType(type))} for range query, must be Scalar or instant Vector`);
      }
      const ctx = context(queryable, startMs, endMs, opts);
      const steps = stepsOf(startMs, endMs, stepMs);
      const value = await evaluator(ctx)(expr, steps);
      const matrix = resultMatrix(value, steps);
      ctx.budget.checkResult(countPoints(matrix));
      return { resultType: 'matrix', result: sortByLabels(matrix) };
    },
  };
}

/** A range query's pass as the matrix the API returns (unsorted). */
function resultMatrix(value: StepValue, steps: Steps): MatrixSeries[] {
  switch (value.kind) {
    case 'scalar':
      return scalarStepsToMatrix(value.values, steps);
    case 'vector':
      return vectorStepsToMatrix(value, steps);
    case 'series':
      return seriesToMatrix(value.series, steps);
    default:
      return [];
  }
}
