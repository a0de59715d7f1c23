import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRootFromProtoFiles, protoDir, renderDescriptorModule } from '../../ingest/proto/index.js';

describe('OTLP proto descriptor', () => {
  it('otlpDescriptor.ts is what the .proto files generate (run `npx tsx ingest/proto/generate.ts` after editing them)', () => {
    const committed = readFileSync(`${protoDir()}otlpDescriptor.ts`, 'utf8');
    expect(renderDescriptorModule(loadRootFromProtoFiles())).toBe(committed);
  });

  it.each([
    ['opentelemetry.proto.metrics.v1.NumberDataPoint', 'timeUnixNano', 3, 'fixed64'],
    ['opentelemetry.proto.metrics.v1.NumberDataPoint', 'asInt', 6, 'sfixed64'],
    ['opentelemetry.proto.metrics.v1.HistogramDataPoint', 'bucketCounts', 6, 'fixed64'],
    ['opentelemetry.proto.metrics.v1.Metric', 'summary', 11, 'Summary'],
    ['opentelemetry.proto.logs.v1.LogRecord', 'observedTimeUnixNano', 11, 'fixed64'],
    ['opentelemetry.proto.logs.v1.LogRecord', 'traceId', 9, 'bytes'],
    ['opentelemetry.proto.common.v1.AnyValue', 'kvlistValue', 6, 'KeyValueList'],
  ])('%s.%s is field %i of type %s (the upstream wire format)', (typeName, field, id, type) => {
    const t = loadRootFromProtoFiles().lookupType(typeName);
    expect(t.fields[field]?.id).toBe(id);
    expect(t.fields[field]?.type).toBe(type);
  });
});
