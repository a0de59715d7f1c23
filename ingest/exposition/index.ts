export * from './parseExposition.js';
export * from './expositionError.js';
export * from './expositionFormat.js';
export * from './expositionLimits.js';
export * from './expositionToWriteRequest.js';
export * from './importReceiver.js';
export { parseGoFloat } from './parseNumber.js';
