import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimeSeries } from '../../core/index.js';
import { createLogger } from '../../core/index.js';
import { prometheusApi } from '../../query/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';

/**
 * User text reaches SQL only as bound parameters: label values, regexes, metric names and label
 * names that try to break out of a string literal or a statement are matched as plain text (and so
 * find nothing), or are refused by the parser — and the store is intact afterwards.
 */
const T0 = 1_700_000_000_000;
const series: TimeSeries[] = [
  { labels: { __name__: 'up', job: 'api' }, samples: [{ t: T0, v: 1 }] },
  { labels: { __name__: 'up', job: "o'brien" }, samples: [{ t: T0, v: 2 }] },
];

const attacks = [
  `up{job="x' OR '1'='1"}`,
  `up{job="api'; DROP TABLE series; --"}`,
  `up{job=~"api' OR 1=1 --"}`,
  `up{job=~".*'); DELETE FROM series; --"}`,
  `up{job!~"'||(SELECT 1)||'"}`,
  `{__name__="up' UNION SELECT * FROM series --"}`,
  `{__name__=~"up\\" OR 1=1 --"}`,
  `up{job="\\\\' OR 1=1; --"}`,
  `up{job=~"(?i)API' OR 'a'='a"}`,
  `label_replace(up, "job", "$1'; DROP TABLE series; --", "job", "(.*)")`,
];

describe('SQL injection through PromQL', () => {
  let store: DuckDbStore;
  let app: FastifyInstance;
  const query = async (q: string): Promise<{ status: number; body: { data?: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string } }> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/query?query=${encodeURIComponent(q)}&time=${T0 / 1000 + 10}` });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    store = new DuckDbStore({ path: ':memory:', registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    const a = store.appender();
    for (const s of series) a.appendSeries('default', s);
    await a.commit();
    app = Fastify();
    await app.register(prometheusApi, { store, registry: new Registry(), logger: createLogger('silent') });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it.each(attacks.map((a) => [a]))('%s matches as plain text or is refused, and touches nothing', async (attack: string) => {
    const r = await query(attack);
    if (r.status === 200) {
      // Nothing matches the literal text, except label_replace, which only rewrites labels in memory.
      const jobs = (r.body.data?.result ?? []).map((e) => e.metric['job']);
      if (attack.startsWith('label_replace')) expect(jobs.sort()).toEqual(["api'; DROP TABLE series; --", "o'brien'; DROP TABLE series; --"]);
      // A negative matcher of text no value equals keeps every series.
      else if (attack.includes('!~')) expect(jobs.sort()).toEqual(['api', "o'brien"]);
      else expect(jobs).toEqual([]);
    } else {
      expect(r.status).toBe(400);
    }
    // The store is intact: both series still there.
    const all = await query('up');
    expect(all.body.data?.result.map((e) => e.metric['job']).sort()).toEqual(['api', "o'brien"]);
  });

  it("finds a label value with a quote in it exactly, by equality and by regex", async () => {
    for (const q of [`up{job="o'brien"}`, `up{job=~"o'b.*"}`, `up{job=~"x|o'brien", job=~"(?i)O'BRIEN"}`]) {
      expect((await query(q)).body.data?.result.map((e) => e.value[1])).toEqual(['2']);
    }
  });
});
