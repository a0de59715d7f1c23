export * from './anomaly/index.js';
