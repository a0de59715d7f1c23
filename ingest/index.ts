export * from './bus/bus.js';
export * from './codec/recordCodec.js';
export * from './writer/storeWriter.js';
export * from './pipeline/pushPipeline.js';
export * from './pipeline/rejections.js';
export * from './otlp/otlpReceiver.js';
export { encodeOtlpMetricsProtobuf, encodeOtlpLogsProtobuf } from './otlp/otlpProto.js';
