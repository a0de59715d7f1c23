/**
 * The web UI (dashboards, log search, topology, capacity reports) arrives with its own issue; it
 * will build on query/ through this folder's public API. Nothing is exported yet.
 */
export {};
