import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LogRecord } from '../../../core/index.js';
import { createLogger } from '../../../core/index.js';
import { lokiApi } from '../../../query/index.js';
import { DuckDbStore } from '../../../storage/duckdb/index.js';

/** /loki/api/v1/tail over a real WebSocket on loopback: the backlog first, then new lines as they are stored. */
const line = (ms: number, stream: Record<string, string>, body: string): LogRecord => {
  const timeNs = BigInt(ms) * 1_000_000n;
  return { timeNs, observedTimeNs: timeNs, severityNumber: 0, severityText: '', body, stream, attributes: {}, resource: {}, traceId: '', spanId: '' };
};

interface Frame {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
  dropped_entries: null;
}

/** Collects a socket's frames; `next()` resolves with the next one. */
function frames(ws: WebSocket): { next(): Promise<Frame>; closed: Promise<{ code: number; reason: string }> } {
  const queue: Frame[] = [];
  const waiting: ((f: Frame) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const f = JSON.parse(data.toString()) as Frame;
    const w = waiting.shift();
    if (w === undefined) queue.push(f);
    else w(f);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { next: () => new Promise((resolve) => (queue.length > 0 ? resolve(queue.shift() as Frame) : waiting.push(resolve))), closed };
}

describe('Loki live tail', () => {
  let store: DuckDbStore;
  let app: FastifyInstance;
  let base: string;
  const started = Date.now();
  beforeAll(async () => {
    store = new DuckDbStore({ path: ':memory:', registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    const a = store.appender();
    a.appendLogs('t1', [line(started - 5000, { job: 'api' }, 'old 1'), line(started - 4000, { job: 'api' }, 'old 2'), line(started - 3000, { job: 'web' }, 'other job')]);
    await a.commit();
    app = Fastify();
    await app.register(websocket);
    await app.register(lokiApi, { store, registry: new Registry(), logger: createLogger('silent'), defaultTenant: 't1', tailPollMs: 20 });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    base = address.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('sends the backlog, then each line as it is stored', async () => {
    const params = new URLSearchParams({ query: '{job="api"} != "skip"', start: String((started - 60_000) / 1000) });
    const ws = new WebSocket(`${base}/loki/api/v1/tail?${params}`);
    const f = frames(ws);
    const backlog = await f.next();
    expect(backlog).toEqual({ streams: [{ stream: { job: 'api' }, values: [[`${BigInt(started - 5000) * 1_000_000n}`, 'old 1'], [`${BigInt(started - 4000) * 1_000_000n}`, 'old 2']] }], dropped_entries: null });
    const a = store.appender();
    const t = Date.now();
    a.appendLogs('t1', [line(t, { job: 'api' }, 'skip me'), line(t, { job: 'api' }, 'new line'), line(t, { job: 'web' }, 'not mine')]);
    await a.commit();
    const live = await f.next();
    expect(live.streams).toEqual([{ stream: { job: 'api' }, values: [[`${BigInt(t) * 1_000_000n}`, 'new line']] }]);
    ws.close();
    await f.closed;
  });

  const refusals: Array<[string, Record<string, string>, string]> = [
    ['a metric query', { query: 'count_over_time({job="api"}[1m])' }, 'tail needs a log query'],
    ['a query that does not parse', { query: '{job=' }, 'parse error'],
    ['delay_for over 5 s', { query: '{job="api"}', delay_for: '10' }, 'delay_for'],
  ];
  it.each(refusals)('closes with the reason for %s', async (_name, query, reason) => {
    const ws = new WebSocket(`${base}/loki/api/v1/tail?${new URLSearchParams(query)}`);
    const closed = await frames(ws).closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toContain(reason);
  });
});
