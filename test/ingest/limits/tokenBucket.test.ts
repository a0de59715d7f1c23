import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../ingest/limits/index.js';

type Step = { at: number; take: number; ok: boolean; retryAfterMs?: number };

describe('token bucket: rate per second, burst, retry-after', () => {
  const cases: { name: string; rate: number; burst: number; steps: Step[] }[] = [
    {
      name: 'starts full: the burst passes at once, one more is refused',
      rate: 100,
      burst: 200,
      steps: [
        { at: 0, take: 200, ok: true },
        { at: 0, take: 1, ok: false, retryAfterMs: 10 },
      ],
    },
    {
      name: 'refills at the rate: 100/s gives 50 tokens after 500 ms',
      rate: 100,
      burst: 200,
      steps: [
        { at: 0, take: 200, ok: true },
        { at: 500, take: 51, ok: false, retryAfterMs: 10 },
        { at: 500, take: 50, ok: true },
      ],
    },
    {
      name: 'never holds more than the burst, however long it was idle',
      rate: 100,
      burst: 200,
      steps: [
        { at: 0, take: 200, ok: true },
        { at: 3_600_000, take: 200, ok: true },
        { at: 3_600_000, take: 1, ok: false, retryAfterMs: 10 },
      ],
    },
    {
      name: 'retry-after is the time until the request would fit',
      rate: 1000,
      burst: 1000,
      steps: [
        { at: 0, take: 1000, ok: true },
        { at: 0, take: 500, ok: false, retryAfterMs: 500 },
        { at: 499, take: 500, ok: false, retryAfterMs: 1 },
        { at: 500, take: 500, ok: true },
      ],
    },
    {
      name: 'a request larger than the burst passes only on a full bucket, and empties it',
      rate: 10,
      burst: 100,
      steps: [
        { at: 0, take: 1000, ok: true },
        { at: 0, take: 1000, ok: false, retryAfterMs: 10_000 },
        { at: 10_000, take: 1000, ok: true },
      ],
    },
    {
      name: 'a clock stepping back refills nothing',
      rate: 100,
      burst: 100,
      steps: [
        { at: 1000, take: 100, ok: true },
        { at: 0, take: 1, ok: false, retryAfterMs: 10 },
        { at: 1010, take: 1, ok: true },
      ],
    },
    {
      name: 'rate 0 is unlimited',
      rate: 0,
      burst: 0,
      steps: [
        { at: 0, take: 1e9, ok: true },
        { at: 0, take: 1e9, ok: true },
      ],
    },
  ];
  it.each(cases)('$name', ({ rate, burst, steps }) => {
    const bucket = new TokenBucket(rate, burst, steps[0]?.at ?? 0);
    for (const step of steps) {
      const got = bucket.take(step.take, step.at);
      expect(got, `take ${step.take} at ${step.at}`).toEqual(step.ok ? { ok: true } : { ok: false, retryAfterMs: step.retryAfterMs });
    }
  });
});
