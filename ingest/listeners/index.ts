export { FrameDecoder } from './frameDecoder.js';
export type { BadFrameReason, FrameHandler } from './frameDecoder.js';
export { PushQueue } from './pushQueue.js';
export type { PushQueueOptions } from './pushQueue.js';
export { QueuedSocketReceiver } from './queuedSocketReceiver.js';
export type { QueuedSocketReceiverOptions } from './queuedSocketReceiver.js';
