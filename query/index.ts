/**
 * The query path: PromQL syntax (promql/), its evaluation over a Store's queriers (engine/)
 * and the Prometheus HTTP API (http/).
 */
export * from './promql/index.js';
export * from './engine/index.js';
export * from './http/index.js';
