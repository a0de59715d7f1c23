export { PlaintextReceiver } from './plaintextReceiver.js';
export type { PlaintextReceiverOptions } from './plaintextReceiver.js';
export { plaintextImportRoutes } from './plaintextImportRoutes.js';
export type { TextImportOptions } from './plaintextImportRoutes.js';
export { parseGraphiteLine } from './graphiteLine.js';
export { parseWavefrontLine } from './wavefrontLine.js';
export type { PlaintextFormat } from './plaintextFormat.js';
