import { prettyExpr } from '../promql/index.js';
import type { ApiContext, ApiResult } from './apiContext.js';
import { queryParam } from './queryRoutes.js';

/**
 * GET|POST /api/v1/format_query: `query` in Prometheus' pretty form (data is the string). A query that
 * does not parse is 400 bad_data naming the parameter, as Prometheus answers.
 */
export function formatQueryHandler(ctx: ApiContext): Promise<ApiResult> {
  return Promise.resolve({ data: JSON.stringify(prettyExpr(queryParam(ctx))) });
}
