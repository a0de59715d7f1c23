export { otlpReceiver, tenantOf } from './otlpReceiver.js';
export type { OtlpReceiverOptions } from './otlpReceiver.js';
export { otlpTypes, decodeProtobuf, encodeOtlpMetricsProtobuf, encodeOtlpLogsProtobuf } from './otlpProto.js';
export { otlpMetricsToWriteRequest } from './otlpMetricsToWriteRequest.js';
export { otlpLogsToWriteRequest, STREAM_RESOURCE_ATTRIBUTES } from './otlpLogsToWriteRequest.js';
export { promMetricName, promLabelName, unitSuffix } from './promNames.js';
export type { PromMetricKind, PromMetricName } from './promNames.js';
export { TIME_MS } from './otlpFastDecode.js';
