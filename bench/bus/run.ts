/**
 * Embedded bus throughput: produce with 1 and 8 concurrent producers (one ~300 KB record per
 * send, as a receiver sends one request's batch), then end to end with a consumer group
 * draining while 8 producers write. Prints records/s, MB/s, the samples/s this would carry at
 * ~30 bytes per sample (10k samples per 300 KB record), and how many sends shared one fsync (group commit).
 *
 *   npx tsx bench/bus/run.ts [--records 600] [--size 300000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { EmbeddedBus } from '../../ingest/bus/embedded/index.js';

const { values: args } = parseArgs({ options: { records: { type: 'string', default: '600' }, size: { type: 'string', default: '300000' } } });
const RECORDS = Number(args.records);
const SIZE = Number(args.size);
/** The pipeline's records carry ~10k samples in ~300 KB: about 30 bytes per sample. */
const SAMPLES_PER_RECORD = SIZE / 30;
const value = randomBytes(SIZE);

async function metric(registry: Registry, name: string, suffix = ''): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((v) => ((v as { metricName?: string }).metricName ?? name) === name + suffix).reduce((s, v) => s + v.value, 0);
}

async function withBus<T>(run: (bus: EmbeddedBus, registry: Registry) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bus-bench-'));
  const registry = new Registry();
  const bus = new EmbeddedBus({ dir, registry, logger: pino({ level: 'warn' }), maxLagBytes: 8 * 1024 ** 3 });
  await bus.start();
  try {
    return await run(bus, registry);
  } finally {
    await bus.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `producers` loops share `total` sends of one record each. */
async function produce(bus: EmbeddedBus, producers: number, total: number): Promise<void> {
  const producer = bus.producer();
  let next = 0;
  await Promise.all(
    Array.from({ length: producers }, async (_, p) => {
      while (next < total) {
        next++;
        await producer.send('vigil.metrics', [{ key: `tenant-${p}`, value }]);
      }
    }),
  );
}

function report(label: string, records: number, seconds: number, extra: string): void {
  const mb = (records * SIZE) / 1e6;
  console.log(
    `${label.padEnd(34)} ${(records / seconds).toFixed(0).padStart(6)} records/s ${(mb / seconds).toFixed(0).padStart(6)} MB/s ` +
      `${((records * SAMPLES_PER_RECORD) / seconds / 1e6).toFixed(2).padStart(6)} M samples/s  ${extra}`,
  );
}

async function produceBench(producers: number): Promise<void> {
  await withBus(async (bus, registry) => {
    const started = performance.now();
    await produce(bus, producers, RECORDS);
    const seconds = (performance.now() - started) / 1000;
    const fsyncs = await metric(registry, 'vigil_bus_fsyncs_total');
    const fsyncSeconds = await metric(registry, 'vigil_bus_fsync_duration_seconds', '_sum');
    report(`produce, ${producers} producer(s)`, RECORDS, seconds, `${(RECORDS / fsyncs).toFixed(1)} sends/fsync, ${((fsyncSeconds / fsyncs) * 1000).toFixed(2)} ms/fsync`);
  });
}

async function endToEndBench(producers: number): Promise<void> {
  await withBus(async (bus, registry) => {
    let consumed = 0;
    let batches = 0;
    let allConsumed!: () => void;
    const done = new Promise<void>((r) => (allConsumed = r));
    const consumer = bus.consumer({ group: 'writer', topics: ['vigil.metrics'], maxBatchRecords: 64, maxWaitMs: 5 });
    const started = performance.now();
    await consumer.run(async (batch) => {
      batches++;
      for (const r of batch.records) consumed += r.value.length > 0 ? 1 : 0;
      if (consumed >= RECORDS) allConsumed();
    });
    await produce(bus, producers, RECORDS);
    const produced = (performance.now() - started) / 1000;
    await done;
    const seconds = (performance.now() - started) / 1000;
    await consumer.stop();
    const fsyncs = await metric(registry, 'vigil_bus_fsyncs_total');
    report(`end to end, ${producers} producers + 1 group`, RECORDS, seconds, `(producers done after ${produced.toFixed(2)} s) ${(consumed / batches).toFixed(1)} records/batch, ${(RECORDS / fsyncs).toFixed(1)} sends/fsync`);
  });
}

console.log(`embedded bus: ${RECORDS} records of ${(SIZE / 1000).toFixed(0)} KB per run, data in ${tmpdir()}`);
await produceBench(1);
await produceBench(8);
await endToEndBench(8);
