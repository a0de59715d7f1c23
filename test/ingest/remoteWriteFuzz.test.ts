import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusOf, isVigilError, limitsSchema, STALE_NAN } from '../../core/index.js';
import type { RemoteWriteMessage, RemoteWriteTask } from '../../ingest/index.js';
import { prepareRemoteWrite } from '../../ingest/index.js';
import { prng, Rng } from './fuzzInputs.js';
import { NOW_MS } from './harness.js';
import { varint } from './protobufBytes.js';
import type { RwRequest } from './remoteWriteEncoder.js';
import { encodeV2Request, encodeWriteRequest, PROMETHEUS_HEADERS, rwLabels, snappy, V2_HEADERS } from './remoteWriteEncoder.js';
import type { RemoteWriteHarness } from './remoteWriteHarness.js';
import { remoteWriteHarness } from './remoteWriteHarness.js';

/**
 * Fuzzing the remote-write path, 1.0 and 2.0 bodies (snappy, the hand-written protobuf readers, validation, bus
 * encoding: prepareRemoteWrite, what the handler and the decode workers run) with random and
 * mutated frames: bit flips, truncation, huge lengths, bad wire types, splices, mutated snappy
 * streams and snappy streams declaring huge sizes. Every outcome must be a prepared write or a
 * 4xx VigilError — never a 5xx or another exception — in bounded time and memory.
 * VIGIL_FUZZ_SEED reproduces a run; a failure names its seed, iteration and input.
 */
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 0x5eed_0011);
const INPUTS = Number(process.env.VIGIL_FUZZ_INPUTS ?? 100_000);
const OVER_HTTP = 2_000;
const limits = limitsSchema.parse({ maxRequestBytes: 1024 * 1024 });
const BOUNDS = { maxSamples: 10_000, maxEntries: 10_000, maxLogChars: 4 * 1024 * 1024 };
const T = NOW_MS - 30_000;

const corpusRequests: readonly RwRequest[] = [
  { timeseries: [{ labels: rwLabels({ __name__: 'up', job: 'node', instance: 'a:9100' }), samples: [{ value: 1, timestamp: T }] }] },
  {
    timeseries: Array.from({ length: 20 }, (_, i) => ({
      labels: rwLabels({ __name__: 'node_cpu_seconds_total', cpu: String(i % 4), mode: ['idle', 'user', 'system', 'iowait', 'irq'][i % 5] as string, job: 'node' }),
      samples: [{ value: i * 1.5, timestamp: T }, { value: i * 1.5 + 1, timestamp: T + 15_000 }],
    })),
    metadata: [{ type: 1, metricFamilyName: 'node_cpu_seconds_total', help: 'Seconds the CPUs spent in each mode.' }],
  },
  { timeseries: [{ labels: rwLabels({ __name__: 'x', a: 'é' }), samples: [{ value: STALE_NAN, timestamp: T }, { value: -1, timestamp: -5 }] }, { labels: rwLabels({ __name__: 'h' }), histograms: [{ countInt: 2, sum: 1, timestamp: T }], exemplars: [{ labels: [{ name: 'trace_id', value: 'ab' }], value: 1, timestamp: T }] }] },
  { metadata: [{ type: 2, metricFamilyName: 'g', help: 'h', unit: 'bytes' }] },
];
const corpusV1 = corpusRequests.map(encodeWriteRequest);
const corpusV2 = [
  encodeV2Request([{ labels: { __name__: 'up', job: 'node', instance: 'a:9100' }, samples: [{ value: 1, timestamp: T }], metadata: { type: 2, help: 'Up.' } }]),
  encodeV2Request(
    Array.from({ length: 20 }, (_, i) => ({
      labels: { __name__: 'node_cpu_seconds_total', cpu: String(i % 4), mode: ['idle', 'user', 'system'][i % 3] as string },
      samples: [{ value: i, timestamp: T }, { value: STALE_NAN, timestamp: T + 15_000 }],
      metadata: { type: 1, help: 'Seconds.', unit: 'seconds' },
    })),
  ),
  encodeV2Request([{ labels: { __name__: 'h' }, histograms: [{ countInt: 2, sum: 1, timestamp: T }] }, { labels: { __name__: 'x', a: 'é' }, samples: [{ value: -1, timestamp: -5 }] }]),
];

interface FuzzInput {
  readonly kind: string;
  /** The request body as sent (snappy-compressed, or a broken snappy stream). */
  readonly body: Buffer;
}

function hugeLength(rng: Rng): number[] {
  return [((1 + rng.int(4)) << 3) | 2, ...varint(rng.pick([0x7fffffff, 0xffffffff, 1 << 24, 1 << 20, 2 ** 35]))];
}

/** A mutated protobuf body (then compressed), or a mutated snappy stream around a valid one. */
function mutate(rng: Rng, message: RemoteWriteMessage): FuzzInput {
  const corpus = message === 2 ? corpusV2 : corpusV1;
  const base = Buffer.from(rng.pick(corpus));
  const op = rng.int(12);
  const at = rng.int(base.length + 1);
  switch (op) {
    case 0:
      for (let n = 1 + rng.int(8); n > 0 && base.length > 0; n--) base[rng.int(base.length)] ^= 1 << rng.int(8);
      return { kind: 'bit flips', body: snappy(base) };
    case 1:
      return { kind: 'truncated', body: snappy(base.subarray(0, rng.int(base.length + 1))) };
    case 2:
      return { kind: 'huge length', body: snappy(Buffer.concat([base.subarray(0, at), Buffer.from(hugeLength(rng)), base.subarray(at)])) };
    case 3:
      return { kind: 'random protobuf bytes', body: snappy(rng.bytes(rng.int(512))) };
    case 4:
      return { kind: 'inserted bytes', body: snappy(Buffer.concat([base.subarray(0, at), rng.bytes(1 + rng.int(16)), base.subarray(at)])) };
    case 5:
      return { kind: 'deleted bytes', body: snappy(Buffer.concat([base.subarray(0, at), base.subarray(Math.min(base.length, at + 1 + rng.int(16)))])) };
    case 6: {
      const other = rng.pick(corpus);
      return { kind: 'spliced', body: snappy(Buffer.concat([base.subarray(0, at), other.subarray(rng.int(other.length + 1))])) };
    }
    case 7:
      if (base.length > 0) base[rng.int(base.length)] = (rng.int(16) << 3) | rng.pick([3, 4, 6, 7]);
      return { kind: 'bad wire type', body: snappy(base) };
    case 8: {
      const frame = snappy(base);
      for (let n = 1 + rng.int(4); n > 0; n--) frame[rng.int(frame.length)] ^= 1 << rng.int(8);
      return { kind: 'corrupt snappy', body: frame };
    }
    case 9: {
      const frame = snappy(base);
      return { kind: 'truncated snappy', body: frame.subarray(0, rng.int(frame.length + 1)) };
    }
    case 10: {
      // The declared length (the block's first varint) is all a decompressor allocates by.
      const frame = snappy(base);
      const declared = rng.pick([limits.maxRequestBytes + 1, 0xffffffff, 2 ** 31, 0x7fffffff, base.length + 1 + rng.int(1000), 0]);
      let skip = 0;
      while (((frame[skip] as number) & 0x80) !== 0) skip++;
      return { kind: `snappy declaring ${declared} bytes`, body: Buffer.concat([Buffer.from(varint(declared)), frame.subarray(skip + 1)]) };
    }
    default:
      return { kind: 'random bytes', body: rng.bytes(rng.int(256)) };
  }
}

type Outcome = { status: number } | { crash: string };

function outcomeOf(body: Buffer, message: RemoteWriteMessage): Outcome {
  const task: RemoteWriteTask = { protocol: 'prometheus_remote_write', message, tenant: 'fuzz', body, limits, nowMs: NOW_MS, bounds: BOUNDS };
  try {
    const prepared = prepareRemoteWrite(task);
    return { status: prepared.error === undefined ? 200 : httpStatusOf(prepared.error.code) };
  } catch (err) {
    if (isVigilError(err)) return { status: httpStatusOf(err.code) };
    return { crash: `${(err as Error).name}: ${(err as Error).message}\n${(err as Error).stack ?? ''}` };
  }
}

const describeInput = (input: FuzzInput, i: number, seed: number): string =>
  `seed ${seed} (VIGIL_FUZZ_SEED=${seed}) iteration ${i}, ${input.kind}, ${input.body.length} bytes: ${input.body.subarray(0, 120).toString('hex')}`;

describe('remote-write fuzzing', () => {
  it(`${INPUTS} random and mutated frames through snappy, the decoder and the pipeline: 2xx or 4xx, never a crash; bounded time and memory`, () => {
    const rng = new Rng(prng(SEED));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let slowestMs = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (let i = 0; i < INPUTS && failures.length < 5; i++) {
      const message: RemoteWriteMessage = rng.chance(0.5) ? 1 : 2;
      const input = mutate(rng, message);
      const t0 = performance.now();
      const outcome = outcomeOf(input.body, message);
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      if ('crash' in outcome) failures.push(`${describeInput(input, i, SEED)}\n  → ${outcome.crash}`);
      else {
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.status >= 500) failures.push(`${describeInput(input, i, SEED)}\n  → status ${outcome.status}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`remote-write fuzz: seed ${SEED}, ${INPUTS} inputs in ${seconds.toFixed(1)} s, slowest ${slowestMs.toFixed(0)} ms, heap +${heapGrowthMb.toFixed(0)} MB, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    // All three outcomes occur: mutations reach the decoder and the validation, not only snappy's first byte.
    expect(statuses.get(200) ?? 0, `seed ${SEED}`).toBeGreaterThan(INPUTS / 100);
    expect(statuses.get(400) ?? 0, `seed ${SEED}`).toBeGreaterThan(INPUTS / 10);
    expect(statuses.get(413) ?? 0, `seed ${SEED}`).toBeGreaterThan(0);
    expect(slowestMs, `seed ${SEED}: one input took ${slowestMs} ms`).toBeLessThan(2000);
    expect(heapGrowthMb, `seed ${SEED}`).toBeLessThan(100);
  }, 120_000);
});

describe('remote-write fuzzing over HTTP: the status mapping', () => {
  let h: RemoteWriteHarness;
  beforeAll(async () => {
    h = await remoteWriteHarness({ maxRequestBytes: limits.maxRequestBytes });
  });
  afterAll(async () => h.app.close());

  it(`${OVER_HTTP} mutated frames through the receiver answer 2xx or 4xx in plain text`, async () => {
    const rng = new Rng(prng(SEED + 1));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < OVER_HTTP && failures.length < 5; i++) {
      const v2 = rng.chance(0.5);
      const input = mutate(rng, v2 ? 2 : 1);
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/write', headers: v2 ? V2_HEADERS : PROMETHEUS_HEADERS, payload: input.body });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const wellFormed = (res.statusCode === 204 || (res.statusCode >= 400 && res.statusCode < 500)) && res.rawPayload.length < 2048;
      if (!wellFormed) failures.push(`${describeInput(input, i, SEED + 1)}\n  → ${res.statusCode} ${res.body.slice(0, 300)}`);
    }
    console.log(`remote-write HTTP fuzz: seed ${SEED + 1}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    expect(statuses.get(204) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
