import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../core/index.js';
import { createLogger } from '../../../core/index.js';
import { lokiApi } from '../../../query/index.js';
import { Drain } from '../../../query/logql/index.js';
import { logLine, openStoreApp } from '../../support/storeApp.js';

/** Log patterns: Drain's clustering, and /loki/api/v1/patterns in Loki's shape. */
const T0 = Date.UTC(2026, 0, 1);

describe('Drain', () => {
  it('clusters lines that differ in variable tokens into one template with <_>', () => {
    const d = new Drain();
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) d.add(`user ${user} logged in from 10.0.0.${i}`, 0);
    d.add('connection to db-1 failed after 3 retries', 0);
    d.add('connection to db-2 failed after 5 retries', 60_000);
    d.add('shutting down', 60_000);
    expect(d.clustersByCount().map((c) => [c.tokens.join(' '), c.total, [...c.counts]])).toEqual([
      ['user <_> logged in from <_>', 3, [[0, 3]]],
      ['connection to <_> failed after <_> retries', 2, [[0, 1], [60_000, 1]]],
      ['shutting down', 1, [[60_000, 1]]],
    ]);
  });

  it('keeps lines of different lengths or first words apart', () => {
    const d = new Drain();
    d.add('GET /a 200', 0);
    d.add('POST /a 200', 0);
    d.add('GET /a 200 slow', 0);
    expect(d.clustersByCount()).toHaveLength(3);
  });
});

const line = (s: number, body: string): LogRecord => logLine(T0, s, { job: 'api' }, body);

describe('/loki/api/v1/patterns', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await openStoreApp({
      fill: (a) => {
        a.appendLogs('t1', [
          line(5, 'level=info msg="GET /users/1" took=3ms'),
          line(15, 'level=info msg="GET /users/2" took=5ms'),
          line(70, 'level=info msg="GET /users/3" took=4ms'),
          line(75, 'level=error msg="db timeout" retry=1'),
          line(80, 'a one-off line'),
        ]);
      },
      register: (server, store) => server.register(lokiApi, { store, registry: new Registry(), logger: createLogger('silent'), defaultTenant: 't1' }),
    }));
  });
  afterAll(() => close());

  it('answers templates with their lines per step, most frequent first, as Loki does', async () => {
    const params = new URLSearchParams({ query: '{job="api"} |= "level"', start: String(T0 / 1000), end: String(T0 / 1000 + 120), step: '60s' });
    const res = await app.inject({ method: 'GET', url: `/loki/api/v1/patterns?${params}` });
    expect(res.json()).toEqual({
      status: 'success',
      data: [{ pattern: 'level=info msg="GET <_> <_>', samples: [[T0 / 1000, 2], [T0 / 1000 + 60, 1]] }],
    });
  });

  it('refuses a metric query', async () => {
    const res = await app.inject({ method: 'GET', url: `/loki/api/v1/patterns?${new URLSearchParams({ query: 'count_over_time({job="api"}[1m])' })}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('patterns need a log query');
  });
});
