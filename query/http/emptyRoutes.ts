import type { ApiContext, ApiHandler, ApiResult } from './apiContext.js';
import { invalidParam, MAX_TIME_MS, MIN_TIME_MS, timeParam } from './params.js';
import { queryParam } from './queryRoutes.js';

/**
 * Endpoints Grafana probes for features Vigil does not have yet (exemplars, scrape targets,
 * Alertmanager discovery): each checks its parameters as Prometheus does and
 * answers a well-formed empty result, so the data source works instead of reporting errors.
 */

/** GET|POST /api/v1/query_exemplars: query, start, end. Vigil stores no exemplars. */
export function exemplarsHandler(ctx: ApiContext): Promise<ApiResult> {
  const start = timeParam(ctx.form, 'start', MIN_TIME_MS);
  const end = timeParam(ctx.form, 'end', MAX_TIME_MS);
  if (end < start) throw invalidParam('end', 'end timestamp must not be before start timestamp');
  queryParam(ctx);
  return Promise.resolve({ data: '[]' });
}

export const targetsHandler: ApiHandler = constant('{"activeTargets":[],"droppedTargets":[]}');
export const targetsMetadataHandler: ApiHandler = constant('[]');
export const alertmanagersHandler: ApiHandler = constant('{"activeAlertmanagers":[],"droppedAlertmanagers":[]}');

function constant(data: string): ApiHandler {
  return () => Promise.resolve({ data });
}
