export { FrameDecoder } from './frameDecoder.js';
export type { BadFrameReason, FrameHandler } from './frameDecoder.js';
export { PushQueue } from './pushQueue.js';
export type { PushQueueOptions } from './pushQueue.js';
