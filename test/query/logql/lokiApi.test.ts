import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/index.js';
import { lokiApi } from '../../../query/index.js';
import type { LokiCase } from './lokiCases.js';
import { canonical, expectedData, loadCaseFiles, T0_MS } from './lokiCases.js';
import { openStoreApp } from '../../support/storeApp.js';

/** Every case file of this folder, run through the Loki API on DuckDB (the stored lines written through the Store's appender). */
const files = loadCaseFiles(import.meta.dirname);

describe.each(files)('LogQL cases in $file', ({ records, cases }) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await openStoreApp({
      partitionMs: 3600_000,
      fill: (a) => a.appendLogs('t1', records),
      register: (server, store) => server.register(lokiApi, { store, registry: new Registry(), logger: createLogger('silent'), defaultTenant: 't1' }),
    }));
  });
  afterAll(() => close());

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c: LokiCase) => {
    const seconds = (s: number): string => String(T0_MS / 1000 + s);
    const params = new URLSearchParams({ query: c.query });
    let path = '/loki/api/v1/query_range';
    if (c.instant !== undefined) {
      path = '/loki/api/v1/query';
      params.set('time', seconds(c.instant));
    } else {
      params.set('start', seconds(c.start ?? 0));
      params.set('end', seconds(c.end ?? 3600));
      params.set('direction', c.direction ?? 'forward');
      params.set('limit', String(c.limit ?? 100));
      if (c.step !== undefined) params.set('step', String(c.step));
    }
    const res = await app.inject({ method: 'GET', url: `${path}?${params}` });
    if (c.error !== undefined) {
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toContain(c.error);
      return;
    }
    expect(res.statusCode, res.body).toBe(200);
    const body = JSON.parse(res.body) as { status: string; data: { resultType: string; result: Record<string, unknown>[] } };
    expect(body.status).toBe('success');
    const key = body.data.resultType === 'streams' ? 'stream' : 'metric';
    expect({ resultType: body.data.resultType, result: canonical(body.data.result, key) }).toEqual(expectedData(c));
  });
});
