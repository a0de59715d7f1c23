import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../core/index.js';
import { createLogger } from '../../../core/index.js';
import { lokiApi } from '../../../query/index.js';
import { logLine, openStoreApp } from '../../support/storeApp.js';

/**
 * User text reaches SQL only as bound parameters: line filters, regexes and label values that
 * try to break out of a string literal or a statement match as plain text (finding nothing, or
 * exactly the line that holds that text), or are refused as invalid RE2 — and the store is
 * intact afterwards.
 */
const T0_MS = Date.UTC(2026, 0, 1);
const line = (s: number, stream: Record<string, string>, body: string): LogRecord => logLine(T0_MS, s, stream, body);
const records = [line(1, { app: 'api' }, 'plain line'), line(2, { app: "o'brien" }, "it's o'brien; DROP TABLE x; --")];

/** [query, status, lines expected (bodies, any order)] */
const attacks: Array<[string, number, string[]]> = [
  [`{app="api"} |= "' OR '1'='1"`, 200, []],
  [`{app="api"} != "'); DROP TABLE log_streams; --"`, 200, ['plain line']],
  [`{app=~".+"} |= "'; DROP TABLE x; --"`, 200, []],
  [`{app=~".+"} |= "; DROP TABLE x; --"`, 200, ["it's o'brien; DROP TABLE x; --"]],
  [`{app=~".+"} |~ "' OR 1=1 --"`, 200, []],
  [`{app=~".+"} |~ "'); DELETE FROM log_streams; --"`, 400, []],
  [`{app=~".+"} !~ ".*') OR ('1'='1"`, 400, []],
  [`{app=~".+"} !~ "(.*') OR ('1'='1)"`, 200, ['plain line', "it's o'brien; DROP TABLE x; --"]],
  [`{app="api' OR '1'='1"}`, 200, []],
  [`{app="o'brien"}`, 200, ["it's o'brien; DROP TABLE x; --"]],
  [`{app=~"api' OR 1=1 --"}`, 200, []],
  [`{app=~".*'); DELETE FROM log_streams; --"}`, 400, []],
  [`{app!~"'||(SELECT 1)||'", app=~".+"}`, 200, ['plain line', "it's o'brien; DROP TABLE x; --"]],
  [`{app="api"} |= "\\\\' OR 1=1; --"`, 200, []],
  [`{app="api"} | logfmt | x="' OR 1=1 --"`, 200, []],
];

describe('SQL injection through LogQL', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await openStoreApp({
      fill: (a) => a.appendLogs('t1', records),
      register: (server, store) => server.register(lokiApi, { store, registry: new Registry(), logger: createLogger('silent'), defaultTenant: 't1' }),
    }));
  });
  afterAll(() => close());

  const rangeQuery = async (query: string): Promise<{ status: number; lines: string[]; body: string }> => {
    const params = new URLSearchParams({ query, start: String(T0_MS / 1000), end: String(T0_MS / 1000 + 60), limit: '100' });
    const res = await app.inject({ method: 'GET', url: `/loki/api/v1/query_range?${params}` });
    if (res.statusCode !== 200) return { status: res.statusCode, lines: [], body: res.body };
    const data = (res.json() as { data: { result: { values: [string, string][] }[] } }).data;
    return { status: 200, lines: data.result.flatMap((s) => s.values.map((v) => v[1])).sort(), body: res.body };
  };

  it.each(attacks)('%s', async (query, status, lines) => {
    const got = await rangeQuery(query);
    expect(got.status, got.body).toBe(status);
    expect(got.lines).toEqual([...lines].sort());
  });

  it('leaves the store intact', async () => {
    expect((await rangeQuery('{app=~".+"}')).lines).toHaveLength(2);
    const labels = await app.inject({ method: 'GET', url: `/loki/api/v1/label/app/values?start=${T0_MS / 1000}&end=${T0_MS / 1000 + 60}` });
    expect(labels.json()).toEqual({ status: 'success', data: ['api', "o'brien"] });
  });
});
