export * from './bus/bus.js';
export * from './codec/recordCodec.js';
export * from './writer/storeWriter.js';
