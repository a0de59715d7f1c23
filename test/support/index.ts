/** Test support shared by tests and benchmarks: running the built CLI as a child process. */
export * from './vigilProcess.js';
export * from './duckdbCatalog.js';
export * from './prng.js';
export * from './otlpGauges.js';
export * from './alertmanagerServer.js';
