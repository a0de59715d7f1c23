export * from './errors.js';
export * from './config.js';
export * from './logger.js';
export * from './model.js';
export * from './labels.js';
export * from './validate.js';
export * from './stale.js';
export * from './sampleColumns.js';
