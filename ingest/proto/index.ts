export { otlpDescriptor } from './otlpDescriptor.js';
export { loadRootFromProtoFiles, renderDescriptorModule, protoDir, OTLP_PROTO_FILES } from './protoSource.js';
