import { describe, expect, it } from 'vitest';
import type { Release } from '../../query/index.js';
import { QueryLimiter, Semaphore } from '../../query/index.js';
import { limitsSchema } from '../../core/index.js';

/**
 * Steps: 'acquire' (a new caller asks; it gets a permit now, waits, or is refused: 'full'),
 * 'release N' (caller N gives its permit back), 'abort N' (caller N's signal aborts while it
 * waits). After each step: which callers hold a permit, and how many wait.
 */
type Step = { do: 'acquire' | `release ${number}` | `abort ${number}`; holders: number[]; waiting: number; refused?: boolean };

describe('semaphore with a bounded queue', () => {
  const cases: { name: string; permits: number; queue: number; steps: Step[] }[] = [
    {
      name: 'permits are granted until they run out, then callers wait, then are refused',
      permits: 2,
      queue: 1,
      steps: [
        { do: 'acquire', holders: [0], waiting: 0 },
        { do: 'acquire', holders: [0, 1], waiting: 0 },
        { do: 'acquire', holders: [0, 1], waiting: 1 },
        { do: 'acquire', holders: [0, 1], waiting: 1, refused: true },
      ],
    },
    {
      name: 'a released permit goes to the first waiter, in arrival order',
      permits: 1,
      queue: 5,
      steps: [
        { do: 'acquire', holders: [0], waiting: 0 },
        { do: 'acquire', holders: [0], waiting: 1 },
        { do: 'acquire', holders: [0], waiting: 2 },
        { do: 'release 0', holders: [1], waiting: 1 },
        { do: 'release 1', holders: [2], waiting: 0 },
        { do: 'release 2', holders: [], waiting: 0 },
        { do: 'acquire', holders: [3], waiting: 0 },
      ],
    },
    {
      name: 'releasing twice frees one permit only',
      permits: 1,
      queue: 5,
      steps: [
        { do: 'acquire', holders: [0], waiting: 0 },
        { do: 'acquire', holders: [0], waiting: 1 },
        { do: 'acquire', holders: [0], waiting: 2 },
        { do: 'release 0', holders: [1], waiting: 1 },
        { do: 'release 0', holders: [1], waiting: 1 },
      ],
    },
    {
      name: 'an aborted waiter leaves the queue and never gets a permit',
      permits: 1,
      queue: 1,
      steps: [
        { do: 'acquire', holders: [0], waiting: 0 },
        { do: 'acquire', holders: [0], waiting: 1 },
        { do: 'abort 1', holders: [0], waiting: 0 },
        { do: 'acquire', holders: [0], waiting: 1 },
        { do: 'release 0', holders: [2], waiting: 0 },
      ],
    },
    {
      name: 'permits 0 is unlimited',
      permits: 0,
      queue: 0,
      steps: [
        { do: 'acquire', holders: [0], waiting: 0 },
        { do: 'acquire', holders: [0, 1], waiting: 0 },
        { do: 'acquire', holders: [0, 1, 2], waiting: 0 },
      ],
    },
  ];
  it.each(cases)('$name', async ({ permits, queue, steps }) => {
    const sem = new Semaphore(permits, queue);
    const releases = new Map<number, Release>();
    const failures = new Map<number, unknown>();
    const aborts: AbortController[] = [];
    let callers = 0;
    for (const step of steps) {
      const [what, n] = step.do.split(' ') as [string, string | undefined];
      if (what === 'acquire') {
        const caller = callers++;
        aborts[caller] = new AbortController();
        const waiting = sem.acquire(aborts[caller].signal);
        expect(waiting === undefined, step.do).toBe(step.refused === true);
        waiting?.then(
          (release) => releases.set(caller, release),
          (err: unknown) => failures.set(caller, err),
        );
      } else if (what === 'release') {
        releases.get(Number(n))?.();
        releases.delete(Number(n));
      } else {
        aborts[Number(n)]?.abort(new Error(`caller ${n} gave up`));
      }
      // Let granted and rejected promises settle.
      await new Promise((resolve) => setImmediate(resolve));
      expect([...releases.keys()].sort(), `holders after ${step.do}`).toEqual(step.holders);
      expect(sem.waiting, `waiting after ${step.do}`).toBe(step.waiting);
      if (permits > 0) expect(sem.running).toBe(step.holders.length);
      if (what === 'abort') expect(failures.get(Number(n))).toEqual(new Error(`caller ${n} gave up`));
    }
  });

  it('a caller whose signal already aborted is refused without taking a permit', async () => {
    const sem = new Semaphore(1, 1);
    await expect(sem.acquire(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(sem.running).toBe(0);
  });
});

describe('QueryLimiter', () => {
  it('drops the gate of a tenant with nothing running or waiting, so made-up tenant ids cannot pile up gates', async () => {
    const limiter = new QueryLimiter(limitsSchema.parse({ maxQueryConcurrency: 1, maxQueryQueue: 1 }));
    const signal = new AbortController().signal;
    const releases = await Promise.all(Array.from({ length: 100 }, (_, i) => limiter.acquire(`made-up-${i}`, signal)));
    expect(limiter.tenantCount).toBe(100);
    for (const release of releases) release();
    expect(limiter.tenantCount).toBe(0);

    const first = await limiter.acquire('acme', signal);
    const second = limiter.acquire('acme', signal); // waits for the one slot
    first();
    expect(limiter.tenantCount).toBe(1); // the slot passed to the waiter: the gate stays
    (await second)();
    expect(limiter.tenantCount).toBe(0);
  });
});
