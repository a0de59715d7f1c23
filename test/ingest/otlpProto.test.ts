import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeOtlpMetricsProtobuf } from '../../ingest/index.js';
import { otlpTypes, TIME_MS } from '../../ingest/otlp/index.js';
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

describe('fast NumberDataPoint decoder', () => {
  it.each([
    ['1700000000999999999', 1_700_000_000_999, '-5', -5],
    ['1700000000000000000', 1_700_000_000_000, '9007199254740993', 9007199254740992],
    ['999999', 0, '0', 0],
    ['18446744073709551615', 18_446_744_073_709, '-9223372036854775808', -9223372036854775808],
  ])('time %s ns → %i ms, asInt %s → %d', (ns, ms, asInt, value) => {
    const body = encodeOtlpMetricsProtobuf({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: ns, asDouble: 1, asInt, startTimeUnixNano: '1', exemplars: [{ asDouble: 1 }] }] } }] }] }],
    });
    const decoded = otlpTypes.metricsRequest.decode(body) as unknown as {
      resourceMetrics: { scopeMetrics: { metrics: { gauge: { dataPoints: Record<string | symbol, unknown>[] } }[] }[] }[];
    };
    const point = decoded.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.gauge.dataPoints[0];
    expect(point?.[TIME_MS]).toBe(ms);
    expect(point?.asInt).toBe(value);
    expect(point && Object.hasOwn(point, 'asDouble')).toBe(false); // oneof: asInt came last on the wire
  });
});
