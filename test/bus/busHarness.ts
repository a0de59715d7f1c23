import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { ConsumedBatch, ConsumerOptions } from '../../ingest/index.js';
import type { EmbeddedBusOptions } from '../../ingest/bus/embedded/index.js';
import { EmbeddedBus } from '../../ingest/bus/embedded/index.js';

/** A fresh directory under the OS temp dir, removed by `cleanup`. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bus-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface OpenedBus {
  readonly bus: EmbeddedBus;
  readonly registry: Registry;
}

/** Starts a bus on `dir` with its own registry and a silent logger. */
export async function openBus(dir: string, options: Partial<Omit<EmbeddedBusOptions, 'dir'>> = {}): Promise<OpenedBus> {
  const registry = options.registry ?? new Registry();
  const bus = new EmbeddedBus({ logger: pino({ level: 'silent' }), groupCommitMs: 1, ...options, dir, registry });
  await bus.start();
  return { bus, registry };
}

/** The value of a counter (summed over labels), or of a histogram's `_sum`/`_count`. */
export async function metricValue(registry: Registry, name: string, suffix: '' | '_sum' | '_count' = ''): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.filter((v) => (v as { metricName?: string }).metricName === undefined || (v as { metricName?: string }).metricName === name + suffix).reduce((sum, v) => sum + v.value, 0);
}

export function payload(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

export function text(value: Uint8Array): string {
  return Buffer.from(value).toString('utf8');
}

/**
 * Runs a consumer until `count` records were handled, then stops it (committing) and returns
 * every batch in delivery order. With `count` 0 it only registers the group: its handler
 * rejects whatever it is given, so nothing is committed past the start.
 */
export async function consume(bus: EmbeddedBus, options: Partial<ConsumerOptions> & Pick<ConsumerOptions, 'group' | 'topics'>, count: number): Promise<ConsumedBatch[]> {
  const batches: ConsumedBatch[] = [];
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const consumer = bus.consumer({ maxBatchRecords: 100, maxWaitMs: 0, ...options });
  if (count === 0) done();
  await consumer.run(async (batch) => {
    if (count === 0) throw new Error('registering only');
    batches.push(batch);
    seen += batch.records.length;
    if (seen >= count) done();
  });
  await withTimeout(finished, 10_000, `consumed ${seen} of ${count} records`);
  await consumer.stop();
  return batches;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
