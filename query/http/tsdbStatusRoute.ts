import { VigilError } from '../../core/index.js';
import type { ApiContext, ApiResult } from './apiContext.js';
import { positiveLimitParam } from './params.js';

/** Prometheus lists the top 10 of each kind. */
const DEFAULT_LIMIT = 10;

/**
 * GET /api/v1/status/tsdb: Prometheus' cardinality view, over everything the request's tenant
 * has stored (Prometheus reports its head block, the last hours; Vigil has no head, so it counts
 * every series in retention). `limit` (Prometheus 2.45+) picks the length of each list. Vigil
 * stores no chunks: chunkCount is 0. With no samples, minTime and maxTime are 0.
 */
export async function tsdbStatusHandler(ctx: ApiContext): Promise<ApiResult> {
  if (ctx.cardinality === undefined) throw new VigilError('unavailable', 'this store does not report cardinality');
  const limit = ctx.form.get('limit') === '' ? DEFAULT_LIMIT : positiveLimitParam(ctx.form, 'limit');
  const s = await ctx.cardinality(limit);
  return {
    data: JSON.stringify({
      headStats: { numSeries: s.numSeries, numLabelPairs: s.numLabelPairs, chunkCount: 0, minTime: s.minTimeMs ?? 0, maxTime: s.maxTimeMs ?? 0 },
      seriesCountByMetricName: s.seriesCountByMetricName,
      labelValueCountByLabelName: s.labelValueCountByLabelName,
      memoryInBytesByLabelName: s.memoryInBytesByLabelName,
      seriesCountByLabelValuePair: s.seriesCountByLabelValuePair,
    }),
  };
}
