import type { InjectOptions } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../core/index.js';
import { DecodePool, inProcessDecoder } from '../../ingest/index.js';
import { BAD_INPUT_LIMITS, badCases, gaugeRequest, json, JSON_TYPE, T } from './badInputCases.js';
import type { Harness } from './harness.js';
import { NOW_MS, otlpHarness } from './harness.js';
import { body, cases, encodings } from './mappingCases.js';

/**
 * Decoding on a worker thread (ingest.decodeWorkers ≥ 1) must be invisible to clients: for every
 * mapping case and every bad input, the receiver answers and publishes exactly what in-process
 * decoding (decodeWorkers 0) does. A dead worker costs its requests a 503, never a hang, and a
 * full queue answers 429 with Retry-After.
 */
const logger = createLogger('silent');

function newPool(options: { maxPending?: number } = {}): DecodePool {
  const pool = new DecodePool({ workers: 1, registry: new Registry(), logger, ...options });
  pool.start();
  return pool;
}

/** Posts the same request to both harnesses; returns both answers and what each published. */
async function both(a: Harness, b: Harness, request: InjectOptions): Promise<{ statuses: number[]; bodies: string[]; sent: unknown[] }> {
  a.producer.sent.length = 0;
  b.producer.sent.length = 0;
  const [ra, rb] = [await a.app.inject(request), await b.app.inject(request)];
  return { statuses: [ra.statusCode, rb.statusCode], bodies: [ra.body, rb.body], sent: [a.producer.sent, b.producer.sent] };
}

describe('decode pool: same answers and records as in-process decoding', () => {
  const pools: DecodePool[] = [];
  let inProcess: Harness;
  let worker: Harness;
  let inProcessStrict: Harness;
  let workerStrict: Harness;
  beforeAll(async () => {
    pools.push(newPool(), newPool());
    inProcess = await otlpHarness({}, inProcessDecoder);
    worker = await otlpHarness({}, pools[0]);
    inProcessStrict = await otlpHarness(BAD_INPUT_LIMITS, inProcessDecoder);
    workerStrict = await otlpHarness(BAD_INPUT_LIMITS, pools[1]);
  });
  afterAll(async () => {
    await Promise.all([inProcess, worker, inProcessStrict, workerStrict].map((h) => h.app.close()));
    await Promise.all(pools.map((p) => p.shutdown()));
  });

  const mapping = [
    ...cases('metrics').flatMap((c) => encodings.map((encoding) => ({ name: `metrics/${c.file} ${encoding}`, url: '/v1/metrics', ...body(c.request, encoding, 'metrics') }))),
    ...cases('logs').flatMap((c) => encodings.map((encoding) => ({ name: `logs/${c.file} ${encoding}`, url: '/v1/logs', ...body(c.request, encoding, 'logs') }))),
  ];
  it.each(mapping)('$name', async (c) => {
    const r = await both(inProcess, worker, { method: 'POST', url: c.url, headers: c.headers, payload: c.payload });
    expect(r.statuses).toEqual([200, 200]);
    expect(r.bodies[1]).toBe(r.bodies[0]);
    expect((r.sent[0] as unknown[]).length).toBeGreaterThan(0);
    expect(r.sent[1]).toEqual(r.sent[0]);
  });

  it.each(badCases)('bad input: $name → $status', async (c) => {
    const r = await both(inProcessStrict, workerStrict, { method: 'POST', url: c.url ?? '/v1/metrics', headers: c.headers, payload: c.payload });
    expect(r.statuses).toEqual([c.status, c.status]);
    expect(r.bodies[1]).toBe(r.bodies[0]);
    expect(r.sent).toEqual([[], []]);
  });
});

describe('decode pool: failures', () => {
  const small = json(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }]));

  /** A request that keeps a worker busy for a while (tens of milliseconds or more). */
  const big = json(gaugeRequest(Array.from({ length: 50_000 }, (_, i) => ({ timeUnixNano: T, asDouble: i, attributes: [{ key: 'k', value: { stringValue: `v${i}` } }] }))));

  async function whenPending(pool: DecodePool): Promise<void> {
    while (pool.pendingRequests === 0) await new Promise((r) => setTimeout(r, 1));
  }

  it('a worker that dies fails its request with 503, and the next request is decoded by its replacement', async () => {
    const pool = newPool();
    const h = await otlpHarness({ maxRequestBytes: 64 * 1024 * 1024 }, pool);
    try {
      // inject() only sends once awaited: Promise.resolve starts it without waiting.
      const killed = Promise.resolve(h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload: big }));
      await whenPending(pool);
      await pool.recycle(); // terminates the worker thread while it holds the request
      const answer = await killed;
      expect(answer.statusCode, answer.body).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 14, message: expect.stringContaining('OTLP decode worker stopped') as unknown });
      expect(pool.pendingRequests).toBe(0);
      const next = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload: small });
      expect(next.statusCode, next.body).toBe(200);
      expect(h.producer.payloads('metrics').flatMap((p) => p.series)).toHaveLength(1);
    } finally {
      await h.app.close();
      await pool.shutdown();
    }
  });

  it('a full queue answers 429 with Retry-After; the queued request still succeeds', async () => {
    const pool = newPool({ maxPending: 1 });
    const h = await otlpHarness({}, pool);
    try {
      const first = Promise.resolve(h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload: big }));
      await whenPending(pool);
      const second = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload: small });
      expect(second.statusCode, second.body).toBe(429);
      expect(second.headers['retry-after']).toBeDefined();
      expect(JSON.parse(second.body)).toMatchObject({ message: expect.stringContaining('OTLP decoding is busy') as unknown });
      expect((await first).statusCode).toBe(200);
    } finally {
      await h.app.close();
      await pool.shutdown();
    }
  });

  it('refuses with 503 once shut down, and shutdown fails what is still pending', async () => {
    const pool = newPool();
    const limits = limitsSchema.parse({});
    const task = { signal: 'metrics' as const, encoding: 'json' as const, contentEncoding: undefined, tenant: 't', limits, nowMs: NOW_MS, bounds: { maxSamples: 10, maxEntries: 10, maxLogChars: 100 } };
    const pending = expect(pool.decode({ ...task, body: small })).rejects.toMatchObject({ code: 'unavailable' });
    await pool.shutdown();
    await pool.shutdown();
    await pending;
    await expect(pool.decode({ ...task, body: small })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
