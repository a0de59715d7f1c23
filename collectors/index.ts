/**
 * Collectors: the node agent (agent/) and what it reads — host metrics (host/), container
 * metrics (containers/), log files (logs/) — plus Vigil's own logs (selflogs/) and the
 * Prometheus scraper (scrape/). Everything they produce goes to the one ingest pipeline,
 * in-process or over OTLP/HTTP.
 */
export * from './host/index.js';
export * from './containers/index.js';
export * from './logs/index.js';
export * from './agent/index.js';
export * from './selflogs/index.js';
export * from './scrape/index.js';
