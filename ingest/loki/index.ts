export { lokiPushReceiver } from './lokiPushReceiver.js';
export type { LokiPushReceiverOptions } from './lokiPushReceiver.js';
export { decodeLokiBody } from './lokiBody.js';
export { parseLokiLabels } from './lokiLabels.js';
export type { LokiEntry, LokiStream } from './lokiPushRequest.js';
