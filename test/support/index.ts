/** Test support shared by tests and benchmarks: running the built CLI as a child process. */
export * from './vigilProcess.js';
export * from './duckdbCatalog.js';
export * from './prng.js';
export type { FamilyOutcome, FamilySeries, LabelledAnomaly } from './anomalyFamilies.js';
export { FAMILY_SEEDS, REGIME_CHANGES, REGIME_SPIKES, evaluate, families, regimeSeries } from './anomalyFamilies.js';
export { DAY as FAMILY_DAY, HOUR as FAMILY_HOUR, MINUTE as FAMILY_MINUTE } from './anomalyFamilies.js';
export * from './peerProcesses.js';
export * from './otlpGauges.js';
export * from './alertmanagerServer.js';
