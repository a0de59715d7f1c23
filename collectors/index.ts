/**
 * Collectors: Vigil watching its own machine (host/) and its own logs (selflogs/), producing
 * core WriteRequests for the one ingest pipeline.
 */
export * from './host/index.js';
export * from './selflogs/index.js';
export * from './containers/index.js';
