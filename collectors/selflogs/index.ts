export { createLogTap } from './logTap.js';
export type { LogTap, LogTapOptions } from './logTap.js';
export { pinoLineToLogRecord } from './pinoLine.js';
export type { LineContext } from './pinoLine.js';
