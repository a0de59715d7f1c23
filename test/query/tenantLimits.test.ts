import Fastify from 'fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../core/index.js';
import type { Limits } from '../../core/index.js';
import type { QueryableStore } from '../../query/index.js';
import { prometheusApi } from '../../query/index.js';
import type { Querier, QuerierOptions } from '../../storage/index.js';
import { MemoryStore } from './memoryStore.js';

/**
 * Per-tenant query limits through the real Prometheus API: a tenant with all its query slots
 * taken and its queue full gets 429 too_many_requests naming the limits while another tenant's
 * queries run; a query over the tenant's sample limit gets 422 execution with Prometheus' message
 * and the limit's name.
 */
const T0 = 1_700_000_000_000;
const NOW = T0 + 60_000;

/** A store whose reads for `tenant` wait until the test opens the gate: queries that stay running. */
class GatedStore implements QueryableStore {
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  /** Reads waiting at the gate. */
  blocked = 0;

  constructor(
    private readonly inner: MemoryStore,
    private readonly gatedTenant: string,
  ) {}

  open(): void {
    this.opened();
  }

  querier(tenant: string, minT: number, maxT: number, options?: QuerierOptions): Querier {
    const q = this.inner.querier(tenant, minT, maxT, options);
    if (tenant !== this.gatedTenant) return q;
    return {
      ...q,
      selectSamples: async (matchers) => {
        this.blocked++;
        await this.gate;
        this.blocked--;
        return q.selectSamples(matchers);
      },
    };
  }
}

function memoryStore(): MemoryStore {
  const samples = [{ t: T0, v: 1 }, { t: T0 + 15_000, v: 2 }, { t: T0 + 30_000, v: 3 }];
  return new MemoryStore().add('acme', { labels: { __name__: 'up', job: 'a' }, samples }).add('other', { labels: { __name__: 'up', job: 'o' }, samples });
}

async function buildApp(store: QueryableStore, limits: Partial<Limits>): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(prometheusApi, { store, registry: new Registry(), logger: createLogger('silent'), now: () => NOW, limits: limitsSchema.parse(limits) });
  await app.ready();
  return app;
}

const query = (app: FastifyInstance, tenant: string, q = 'up'): Promise<LightMyRequestResponse> =>
  app.inject({ url: `/api/v1/query?query=${encodeURIComponent(q)}&time=${NOW / 1000}`, headers: { 'x-scope-orgid': tenant } });

/** Lets pending I/O callbacks and promises run until `done` holds (a bounded number of turns, no clock). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

describe('per-tenant query concurrency (limits.maxQueryConcurrency / maxQueryQueue)', () => {
  let app: FastifyInstance;
  let store: GatedStore;
  beforeAll(async () => {
    store = new GatedStore(memoryStore(), 'acme');
    app = await buildApp(store, { maxQueryConcurrency: 1, maxQueryQueue: 1 });
  });
  afterAll(async () => app.close());

  it('answers 429 once the running slot and the queue are taken; other tenants are not held up', async () => {
    const running = query(app, 'acme');
    await until(() => store.blocked === 1);
    // One of these two waits in the queue; the other finds the queue full.
    const second = query(app, 'acme');
    const third = query(app, 'acme');
    const refused = await Promise.race([second, third]);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body)).toEqual({
      status: 'error',
      errorType: 'too_many_requests',
      error:
        'too many outstanding requests: tenant "acme" has 1 queries running (limits.maxQueryConcurrency) and 1 waiting (limits.maxQueryQueue); retry later or raise the limits',
    });

    expect((await query(app, 'other')).statusCode).toBe(200);

    store.open();
    const statuses = [(await running).statusCode, (await second).statusCode, (await third).statusCode];
    expect(statuses.sort()).toEqual([200, 200, 429]);
    // Every slot was given back.
    expect((await query(app, 'acme')).statusCode).toBe(200);
  });
});

describe('per-tenant samples per query (limits.maxSamplesPerQuery)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(memoryStore(), { tenants: { acme: { maxSamplesPerQuery: 2 } } });
  });
  afterAll(async () => app.close());

  const cases: { name: string; tenant: string; q: string; status: number; error?: string }[] = [
    {
      name: 'over the tenant limit: 422 execution with Prometheus\' message and the limit',
      tenant: 'acme',
      q: 'up[5m]', // 3 samples
      status: 422,
      error: 'query processing would load too many samples into memory in query execution (limits.maxSamplesPerQuery of 2 for tenant "acme")',
    },
    { name: 'within the tenant limit', tenant: 'acme', q: 'up[45s]', status: 200 }, // 2 samples: 2.42's window [t - 45s, t] is closed, [1m] would hold all 3
    { name: 'another tenant has the default limit', tenant: 'other', q: 'up[5m]', status: 200 },
  ];
  it.each(cases)('$name', async ({ tenant, q, status, error }) => {
    const res = await query(app, tenant, q);
    expect(res.statusCode, res.body).toBe(status);
    if (error !== undefined) expect(JSON.parse(res.body)).toEqual({ status: 'error', errorType: 'execution', error });
  });
});

describe('per-tenant series per query (limits.maxSeriesPerQuery)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const store = memoryStore()
      .add('acme', { labels: { __name__: 'up', job: 'b' }, samples: [{ t: T0, v: 1 }] })
      .add('acme', { labels: { __name__: 'down', job: 'a' }, samples: [{ t: T0, v: 1 }] });
    app = await buildApp(store, { tenants: { acme: { maxSeriesPerQuery: 2 } } });
  });
  afterAll(async () => app.close());

  const overTwo = 'the query hit the max number of series limit (limit: 2 series) (limits.maxSeriesPerQuery of 2 for tenant "acme")';
  const cases: { name: string; tenant: string; q: string; status: number; error?: string }[] = [
    { name: 'one selector within the limit', tenant: 'acme', q: 'up', status: 200 }, // 2 series
    { name: 'one selector over it', tenant: 'acme', q: '{job=~"a|b"}', status: 422, error: overTwo }, // 3 series
    { name: 'selectors count together across the query', tenant: 'acme', q: 'up + on() group_left down', status: 422, error: overTwo },
    { name: 'another tenant has the default limit', tenant: 'other', q: '{job=~".+"}', status: 200 },
  ];
  it.each(cases)('$name', async ({ tenant, q, status, error }) => {
    const res = await query(app, tenant, q);
    expect(res.statusCode, res.body).toBe(status);
    if (error !== undefined) expect(JSON.parse(res.body)).toEqual({ status: 'error', errorType: 'execution', error });
  });
});
