import type { ApiHandler } from './apiContext.js';
import { alertmanagersHandler, exemplarsHandler, targetsHandler, targetsMetadataHandler } from './emptyRoutes.js';
import { alertsHandler, rulesHandler } from './rulesRoutes.js';
import { formatQueryHandler } from './formatQueryRoute.js';
import { labelNamesHandler, labelValuesHandler, metadataHandler, seriesHandler } from './metadataRoutes.js';
import { queryHandler, queryRangeHandler } from './queryRoutes.js';
import type { ServerStatus } from './statusRoutes.js';
import { buildInfoHandler, configHandler, flagsHandler, runtimeInfoHandler } from './statusRoutes.js';
import { tsdbStatusHandler } from './tsdbStatusRoute.js';

export interface ApiRoute {
  /** The methods Prometheus 2.42 registers for the path (web/api/v1/api.go); no others. */
  readonly methods: readonly ('GET' | 'POST')[];
  /** Under /api/v1. */
  readonly path: string;
  /** The `endpoint` label of the API's metrics. */
  readonly endpoint: string;
  readonly handler: ApiHandler;
  /** The request takes one of the tenant's query slots while it runs (it reads the store). */
  readonly limited: boolean;
}

const both = ['GET', 'POST'] as const;
const get = ['GET'] as const;

/** Every endpoint of the API: one table, so methods and limits are visible at a glance. */
export function apiRoutes(status: ServerStatus): readonly ApiRoute[] {
  return [
    { methods: both, path: '/query', endpoint: 'query', handler: queryHandler, limited: true },
    { methods: both, path: '/query_range', endpoint: 'query_range', handler: queryRangeHandler, limited: true },
    { methods: both, path: '/query_exemplars', endpoint: 'query_exemplars', handler: exemplarsHandler, limited: false },
    { methods: both, path: '/format_query', endpoint: 'format_query', handler: formatQueryHandler, limited: false },
    { methods: both, path: '/series', endpoint: 'series', handler: seriesHandler, limited: true },
    { methods: both, path: '/labels', endpoint: 'labels', handler: labelNamesHandler, limited: true },
    { methods: get, path: '/label/:name/values', endpoint: 'label_values', handler: labelValuesHandler, limited: true },
    { methods: get, path: '/metadata', endpoint: 'metadata', handler: metadataHandler, limited: false },
    { methods: get, path: '/targets', endpoint: 'targets', handler: targetsHandler, limited: false },
    { methods: get, path: '/targets/metadata', endpoint: 'targets_metadata', handler: targetsMetadataHandler, limited: false },
    { methods: get, path: '/alertmanagers', endpoint: 'alertmanagers', handler: alertmanagersHandler, limited: false },
    { methods: get, path: '/rules', endpoint: 'rules', handler: rulesHandler, limited: false },
    { methods: get, path: '/alerts', endpoint: 'alerts', handler: alertsHandler, limited: false },
    { methods: get, path: '/status/buildinfo', endpoint: 'buildinfo', handler: buildInfoHandler(status.buildInfo ?? {}), limited: false },
    { methods: get, path: '/status/config', endpoint: 'config', handler: configHandler(), limited: false },
    { methods: get, path: '/status/flags', endpoint: 'flags', handler: flagsHandler(status), limited: false },
    { methods: get, path: '/status/runtimeinfo', endpoint: 'runtimeinfo', handler: runtimeInfoHandler(status), limited: false },
    // A scan of the tenant's series: it takes a query slot like any other read.
    { methods: get, path: '/status/tsdb', endpoint: 'tsdb', handler: tsdbStatusHandler, limited: true },
  ];
}
