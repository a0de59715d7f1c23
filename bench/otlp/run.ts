import { Registry } from 'prom-client';
import { createLogger, limitsSchema } from '../../core/index.js';
import type { BusRecord, Producer } from '../../ingest/index.js';
import { createPushPipeline, Rejections } from '../../ingest/index.js';
import { decodeProtobuf, encodeOtlpLogsProtobuf, encodeOtlpMetricsProtobuf, otlpLogsToWriteRequest, otlpMetricsToWriteRequest, otlpTypes } from '../../ingest/otlp/index.js';
import { syntheticLogsRequest, syntheticMetricsRequest } from './syntheticRequest.js';

/**
 * OTLP metrics ingest throughput: decode + map to Prometheus series (the receiver's own work),
 * for protobuf and JSON bodies, and decode + map + validate + encode bus payloads (the pipeline
 * with a producer that acknowledges at once). Prints samples/s; target: well above 250k/s.
 *
 *   npx tsx bench/otlp/run.ts [resources=20] [seriesPerMetric=500]
 */
const resources = Number(process.argv[2] ?? 20);
const seriesPerMetric = Number(process.argv[3] ?? 500);
const nowMs = Date.now();
const { request, samples } = syntheticMetricsRequest(resources, seriesPerMetric, BigInt(nowMs) * 1_000_000n);
const protobufBody = Buffer.from(encodeOtlpMetricsProtobuf(request));
const jsonBody = Buffer.from(JSON.stringify(request));

function measure(name: string, bytes: number, run: () => Promise<number> | number, unit = 'samples'): Promise<void> {
  return (async () => {
    for (let i = 0; i < 3; i++) await run(); // warm-up: let V8 optimise and protobufjs generate its decoders
    let total = 0;
    const rounds = 10;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < rounds; i++) total += await run();
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    // CPU time as well as wall time: on a shared machine the wall-clock rate understates the code.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(11);
    process.stdout.write(
      `${name.padEnd(46)} ${fmt(total / seconds)} ${unit}/s wall ${fmt(total / cpuSeconds)} ${unit}/CPU-s  ${((bytes * rounds) / seconds / 1e6).toFixed(1).padStart(6)} MB/s  ${((seconds / rounds) * 1000).toFixed(1)} ms/request\n`,
    );
  })();
}

function mapProtobuf(): number {
  const rejections = new Rejections();
  const req = otlpMetricsToWriteRequest(decodeProtobuf(otlpTypes.metricsRequest, protobufBody), 'bench', rejections);
  return req.series.length;
}

function mapJson(): number {
  const rejections = new Rejections();
  const req = otlpMetricsToWriteRequest(JSON.parse(jsonBody.toString('utf8')) as unknown, 'bench', rejections);
  return req.series.length;
}

const acknowledging: Producer = {
  send: async (_topic: string, _records: readonly BusRecord[]) => {},
};
const pipeline = createPushPipeline({
  producer: acknowledging,
  limits: limitsSchema.parse({}),
  registry: new Registry(),
  logger: createLogger('silent'),
  now: () => nowMs,
});

async function pipelineProtobuf(): Promise<number> {
  const rejections = new Rejections();
  const req = otlpMetricsToWriteRequest(decodeProtobuf(otlpTypes.metricsRequest, protobufBody), 'bench', rejections);
  const result = await pipeline.push(req, rejections);
  return result.accepted.samples;
}

process.stdout.write(
  `OTLP metrics request: ${samples.toLocaleString('en-US')} samples (${resources} resources × ${seriesPerMetric} series per metric); protobuf ${(protobufBody.length / 1e6).toFixed(2)} MB, JSON ${(jsonBody.length / 1e6).toFixed(2)} MB\n`,
);
if (mapProtobuf() !== samples) throw new Error(`mapping produced ${mapProtobuf()} series, expected ${samples}`);
await measure('protobuf decode + map', protobufBody.length, mapProtobuf);
await measure('JSON parse + map', jsonBody.length, mapJson);
await measure('protobuf decode + map + validate + bus encode', protobufBody.length, pipelineProtobuf);

const logsBody = Buffer.from(encodeOtlpLogsProtobuf(syntheticLogsRequest(20, 1000, BigInt(nowMs) * 1_000_000n)));
const receivedAtNs = BigInt(nowMs) * 1_000_000n;
await measure('logs: protobuf decode + map', logsBody.length, () => otlpLogsToWriteRequest(decodeProtobuf(otlpTypes.logsRequest, logsBody), 'bench', receivedAtNs).logs.length, 'records');
