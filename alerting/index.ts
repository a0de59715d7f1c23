export * from './anomaly/index.js';
export * from './rules/index.js';
export * from './notify/index.js';
