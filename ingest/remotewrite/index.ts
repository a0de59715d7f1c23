export { remoteWriteReceiver } from './remoteWriteReceiver.js';
export type { RemoteWriteReceiverOptions } from './remoteWriteReceiver.js';
export { prepareRemoteWrite, inProcessRemoteWriteDecoder } from './remoteWriteTask.js';
export type { RemoteWriteDecoder, RemoteWriteTask } from './remoteWriteTask.js';
export { decodeRemoteWrite } from './remoteWriteDecode.js';
export type { DecodedRemoteWrite } from './remoteWriteDecode.js';
export { checkRemoteWriteHeaders, REMOTE_WRITE_VERSION } from './remoteWriteHeaders.js';
export { uncompressSnappyBlock, SnappyError } from './snappyBlock.js';
