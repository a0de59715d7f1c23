/**
 * Collectors: Vigil watching its own machine (host/) and its own logs (selflogs/), and scraping
 * Prometheus targets (scrape/), producing core WriteRequests for the one ingest pipeline.
 */
export * from './host/index.js';
export * from './selflogs/index.js';
export * from './scrape/index.js';
