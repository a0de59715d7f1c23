import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusOf, isVigilError, limitsSchema } from '../../core/index.js';
import type { OtlpDecodeTask } from '../../ingest/index.js';
import { decodeOtlp, encodeOtlpLogsProtobuf, encodeOtlpMetricsProtobuf } from '../../ingest/index.js';
import type { FuzzInput, Json } from './fuzzInputs.js';
import { mutateJson, mutateProtobuf, prng, Rng } from './fuzzInputs.js';
import type { Harness } from './harness.js';
import { NOW_MS, otlpHarness } from './harness.js';
import { cases } from './mappingCases.js';

/**
 * Fuzzing both OTLP parsers through the real decode path (decompression, decoding, mapping,
 * validation, bus encoding: decodeOtlp, what the HTTP handler and the decode workers run), most
 * inputs called directly for speed and a few thousand through the HTTP receiver for the status
 * mapping. Every outcome must be a prepared write (2xx) or a 4xx VigilError — never a 5xx, never
 * another exception — within bounded time and memory. VIGIL_FUZZ_SEED reproduces a run; a
 * failure names its seed, iteration and input.
 */
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 0x5eed_0009);
const DIRECT = Number(process.env.VIGIL_FUZZ_INPUTS ?? 100_000);
const OVER_HTTP = 2_000;

const limits = limitsSchema.parse({});
/** The pipeline's default record bounds. */
const BOUNDS = { maxSamples: 10_000, maxEntries: 10_000, maxLogChars: 4 * 1024 * 1024 };
const metricsCorpus = cases<unknown>('metrics').map((c) => c.request);
const logsCorpus = cases<unknown>('logs').map((c) => c.request);
const jsonCorpus = { metrics: metricsCorpus as unknown as Json[], logs: logsCorpus as unknown as Json[] };
const protobufCorpus = {
  metrics: metricsCorpus.map((r) => Buffer.from(encodeOtlpMetricsProtobuf(r))),
  logs: logsCorpus.map((r) => Buffer.from(encodeOtlpLogsProtobuf(r))),
};

type Outcome = { status: number } | { crash: string };

/** What the HTTP handler would answer for one input: 200, the error's status, or a crash. */
async function outcomeOf(task: OtlpDecodeTask): Promise<Outcome> {
  try {
    const prepared = await decodeOtlp(task);
    return { status: prepared.error === undefined ? 200 : httpStatusOf(prepared.error.code) };
  } catch (err) {
    if (isVigilError(err)) return { status: httpStatusOf(err.code) };
    return { crash: `${(err as Error).name}: ${(err as Error).message}\n${(err as Error).stack ?? ''}` };
  }
}

function describeInput(input: FuzzInput, i: number, seed: number): string {
  return `seed ${seed} (VIGIL_FUZZ_SEED=${seed}) iteration ${i}, ${input.kind}, ${input.body.length} bytes: ${input.body.subarray(0, 120).toString('hex')}`;
}

interface FuzzStats {
  readonly statuses: Map<number, number>;
  readonly failures: string[];
  slowestMs: number;
}

async function fuzz(encoding: 'json' | 'protobuf', inputs: number, seed: number): Promise<FuzzStats> {
  const rng = new Rng(prng(seed));
  const stats: FuzzStats = { statuses: new Map(), failures: [], slowestMs: 0 };
  for (let i = 0; i < inputs; i++) {
    const signal = rng.chance(0.8) ? 'metrics' : 'logs';
    const input = encoding === 'protobuf' ? mutateProtobuf(rng, protobufCorpus[signal], signal) : mutateJson(rng, jsonCorpus[signal]);
    const started = performance.now();
    const outcome = await outcomeOf({ signal, encoding, contentEncoding: input.contentEncoding, tenant: 'fuzz', body: input.body, limits, nowMs: NOW_MS, bounds: BOUNDS });
    stats.slowestMs = Math.max(stats.slowestMs, performance.now() - started);
    if ('crash' in outcome) stats.failures.push(`${describeInput(input, i, seed)}\n  → ${outcome.crash}`);
    else {
      stats.statuses.set(outcome.status, (stats.statuses.get(outcome.status) ?? 0) + 1);
      if (outcome.status >= 500) stats.failures.push(`${describeInput(input, i, seed)}\n  → status ${outcome.status}`);
    }
    if (stats.failures.length >= 5) break;
  }
  return stats;
}

describe.each(['protobuf', 'json'] as const)('OTLP %s fuzzing', (encoding) => {
  const seed = SEED + (encoding === 'json' ? 1 : 0);

  it(`${DIRECT} random and mutated inputs through the decode path: 2xx or 4xx, never a crash; bounded time and memory`, async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const stats = await fuzz(encoding, DIRECT, seed);
    const seconds = (performance.now() - started) / 1000;
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`${encoding} fuzz: seed ${seed}, ${DIRECT} inputs in ${seconds.toFixed(1)} s, slowest ${stats.slowestMs.toFixed(0)} ms, heap +${heapGrowthMb.toFixed(0)} MB, statuses ${JSON.stringify(Object.fromEntries(stats.statuses))}`);
    expect(stats.failures, stats.failures.join('\n\n')).toEqual([]);
    // Both outcomes occur: the mutations reach the mapper, not only the parser's first byte.
    expect(stats.statuses.get(200) ?? 0, `seed ${seed}`).toBeGreaterThan(DIRECT / 100);
    expect(stats.statuses.get(400) ?? 0, `seed ${seed}`).toBeGreaterThan(DIRECT / 10);
    expect(stats.slowestMs, `seed ${seed}: one input took ${stats.slowestMs} ms`).toBeLessThan(2000);
    expect(heapGrowthMb, `seed ${seed}`).toBeLessThan(100);
  }, 60_000);
});

describe('OTLP fuzzing over HTTP: the status mapping', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await otlpHarness();
  });
  afterAll(async () => {
    await h.app.close();
  });

  it(`${OVER_HTTP} mutated inputs through the receiver answer 2xx or 4xx in their encoding`, async () => {
    const rng = new Rng(prng(SEED + 2));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < OVER_HTTP && failures.length < 5; i++) {
      const signal = rng.chance(0.8) ? 'metrics' : 'logs';
      const proto = rng.chance(0.5);
      const input = proto ? mutateProtobuf(rng, protobufCorpus[signal], signal) : mutateJson(rng, jsonCorpus[signal]);
      const headers: Record<string, string> = { 'content-type': proto ? 'application/x-protobuf' : 'application/json' };
      if (input.contentEncoding !== undefined) headers['content-encoding'] = input.contentEncoding;
      const res = await h.app.inject({ method: 'POST', url: `/v1/${signal}`, headers, payload: input.body });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const wellFormed = res.statusCode < 500 && res.rawPayload.length < 2048 && String(res.headers['content-type']).startsWith(proto ? 'application/x-protobuf' : 'application/json');
      if (!wellFormed) failures.push(`${describeInput(input, i, SEED + 2)}\n  → ${res.statusCode} ${String(res.headers['content-type'])} ${res.body.slice(0, 300)}`);
    }
    console.log(`HTTP fuzz: seed ${SEED + 2}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    expect([...statuses.keys()].every((s) => s === 200 || (s >= 400 && s < 500))).toBe(true);
  }, 60_000);
});
