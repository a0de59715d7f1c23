import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../core/index.js';
import { eventsApi } from '../../query/index.js';
import { openStoreApp } from '../support/storeApp.js';

/** GET /api/v1/events on DuckDB: filters, time range, cursor paging, bad parameters. */
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function event(i: number, over: Partial<Event> = {}): Event {
  return {
    reason: i % 2 === 0 ? 'BackOff' : 'Started',
    type: i % 3 === 0 ? 'Warning' : 'Normal',
    involvedObject: { kind: 'Pod', name: `web-${i % 4}`, namespace: i % 5 === 0 ? 'kube-system' : 'default', uid: `uid-${i}` },
    message: `event ${i}`,
    count: 1 + (i % 3),
    firstSeenMs: T0 + i * MIN,
    lastSeenMs: T0 + i * MIN + 30_000,
    source: 'kubelet',
    labels: {},
    ...over,
  };
}

const all = Array.from({ length: 30 }, (_, i) => event(i));

describe('GET /api/v1/events', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await openStoreApp({
      fill: (a) => a.appendEvents('t1', all),
      register: (server, store) => server.register(eventsApi, { store, defaultTenant: 't1', now: () => T0 + 60 * MIN }),
    }));
  });
  afterAll(() => close());

  const get = async (query: Record<string, string>): Promise<{ status: number; body: { data?: { events: { message: string }[]; nextCursor?: string }; error?: string } }> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/events?${new URLSearchParams(query)}` });
    return { status: res.statusCode, body: res.json() };
  };
  const messages = (ids: number[]): string[] => ids.map((i) => `event ${i}`);
  const range = { start: String(T0 / 1000), end: String((T0 + 60 * MIN) / 1000) };

  const cases: Array<[string, Record<string, string>, number[]]> = [
    ['newest first, default limit', range, [...all.keys()].reverse()],
    ['namespace', { ...range, namespace: 'kube-system' }, [25, 20, 15, 10, 5, 0]],
    ['involved object', { ...range, kind: 'Pod', name: 'web-1' }, [29, 25, 21, 17, 13, 9, 5, 1]],
    ['reason and type', { ...range, reason: 'BackOff', type: 'Warning' }, [24, 18, 12, 6, 0]],
    ['uid', { ...range, uid: 'uid-7' }, [7]],
    ['time range overlaps', { start: String((T0 + 10 * MIN + 40_000) / 1000), end: String((T0 + 12 * MIN) / 1000) }, [12, 11]],
    ['default range is the last hour', {}, [...all.keys()].reverse()],
  ];
  it.each(cases)('%s', async (_name, query, expected) => {
    const got = await get(query);
    expect(got.status).toBe(200);
    expect(got.body.data?.events.map((e) => e.message)).toEqual(messages(expected));
  });

  it('pages by cursor through every event once, in order', async () => {
    const seen: string[] = [];
    let query: Record<string, string> = { ...range, limit: '7' };
    for (let page = 0; page < 10; page++) {
      const got = await get(query);
      expect(got.status).toBe(200);
      seen.push(...(got.body.data?.events ?? []).map((e) => e.message));
      const next = got.body.data?.nextCursor;
      if (next === undefined) break;
      query = { cursor: next, limit: '7' };
    }
    expect(seen).toEqual(messages([...all.keys()].reverse()));
  });

  it('returns the event in the documented shape', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/events?uid=uid-3&start=${T0 / 1000}` });
    expect(res.json()).toEqual({
      status: 'success',
      data: {
        events: [
          {
            reason: 'Started',
            type: 'Warning',
            involvedObject: { kind: 'Pod', name: 'web-3', namespace: 'default', uid: 'uid-3' },
            message: 'event 3',
            count: 1,
            firstSeen: '2026-01-01T00:03:00.000Z',
            lastSeen: '2026-01-01T00:03:30.000Z',
            source: 'kubelet',
            labels: {},
          },
        ],
      },
    });
  });

  const bad: Array<[string, Record<string, string>, string]> = [
    ['limit over the maximum', { limit: '5000' }, 'limit'],
    ['unknown type', { type: 'Fatal' }, 'type'],
    ['a cursor we did not issue', { cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
    ['a bad time', { start: 'yesterday' }, 'start'],
    ['end before start', { start: '2000', end: '1000' }, 'end timestamp must not be before start time'],
    ['a huge filter value', { reason: 'x'.repeat(5000) }, 'reason'],
  ];
  it.each(bad)('400 for %s', async (_name, query, mention) => {
    const got = await get(query);
    expect(got.status).toBe(400);
    expect(got.body.error).toContain(mention);
  });
});
