import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { createLogger, limitsSchema } from '../../core/index.js';
import { createPushPipeline, otlpReceiver } from '../../ingest/index.js';
import { RecordingProducer } from './recordingProducer.js';

/**
 * Interoperability: the OpenTelemetry JS SDK's own OTLP exporters (protobuf and JSON) push to the
 * receiver over a real socket; what they send must arrive mapped as the specification says.
 */
let app: FastifyInstance;
let base: string;
const producer = new RecordingProducer();

beforeAll(async () => {
  const limits = limitsSchema.parse({});
  const pipeline = createPushPipeline({ producer, limits, registry: new Registry(), logger: createLogger('silent') });
  app = Fastify({ logger: false });
  await app.register(otlpReceiver, { pipeline, limits, defaultTenant: 'default' });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
});

const resource = resourceFromAttributes({ 'service.name': 'interop', 'service.instance.id': 'i-1', 'host.name': 'box' });

describe('OpenTelemetry JS SDK exporters → receiver', () => {
  it.each([
    ['protobuf', (url: string) => new ProtoMetricExporter({ url })],
    ['JSON', (url: string) => new JsonMetricExporter({ url })],
  ])('metrics over %s', async (_name, makeExporter) => {
    producer.sent.length = 0;
    const reader = new PeriodicExportingMetricReader({ exporter: makeExporter(`${base}/v1/metrics`), exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('interop-test');
    meter.createCounter('http.requests', { unit: '{request}' }).add(3, { 'http.route': '/a' });
    meter.createHistogram('op.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } }).record(0.2);
    meter.createUpDownCounter('queue.depth').add(-2);
    await provider.shutdown(); // exports once more and waits for the answer

    const series = producer.payloads('metrics').flatMap((p) => p.series);
    const byName = (n: string) => series.filter((s) => s.labels.__name__ === n);
    expect(byName('http_requests_total').map((s) => [s.labels, s.samples.map((x) => x.v)])).toEqual([
      [{ __name__: 'http_requests_total', http_route: '/a', job: 'interop', instance: 'i-1' }, [3]],
    ]);
    expect(byName('op_duration_seconds_bucket').map((s) => [s.labels.le, s.samples[0]?.v])).toEqual([
      ['0.1', 0],
      ['1', 1],
      ['+Inf', 1],
    ]);
    expect(byName('op_duration_seconds_sum')[0]?.samples[0]?.v).toBe(0.2);
    expect(byName('queue_depth')[0]?.samples[0]?.v).toBe(-2);
    expect(byName('target_info')[0]?.labels).toMatchObject({ job: 'interop', instance: 'i-1', host_name: 'box' });
    const t = series[0]?.samples[0]?.t ?? 0;
    expect(Math.abs(t - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ['protobuf', (url: string) => new ProtoLogExporter({ url })],
    ['JSON', (url: string) => new JsonLogExporter({ url })],
  ])('logs over %s', async (_name, makeExporter) => {
    producer.sent.length = 0;
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: makeExporter(`${base}/v1/logs`) })] });
    provider.getLogger('interop-test').emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'disk almost full', attributes: { 'disk.free': 5 } });
    await provider.forceFlush();
    await provider.shutdown();

    const logs = producer.payloads('logs').flatMap((p) => p.logs);
    expect(logs.map((r) => ({ body: r.body, stream: r.stream, attributes: r.attributes, severityNumber: r.severityNumber }))).toEqual([
      { body: 'disk almost full', stream: { job: 'interop', instance: 'i-1', host_name: 'box', level: 'warn' }, attributes: { 'disk.free': 5 }, severityNumber: 13 },
    ]);
  });
});
