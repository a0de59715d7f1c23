import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { createLogger } from '../../../core/index.js';
import type { LogExpr } from '../../../query/logql/index.js';
import { parseLogql, planLog } from '../../../query/logql/index.js';
import type { BoundSql, LogScan } from '../../../storage/index.js';
import { linesSql, streamsSql } from '../../../storage/index.js';
import { duckDbLogDialect, DuckDbStore } from '../../../storage/duckdb/index.js';
import { loadCaseFiles, T0_MS } from './lokiCases.js';

/**
 * Golden tests of the SQL a log query pushes down: for each query in golden/pushdown.yaml the
 * file holds the two statements DuckDB runs (streams, then one partition's lines), their bound
 * parameters, and the lines the scan returns from stages.yaml's streams. Any change to the SQL
 * shows up here as a diff. VIGIL_UPDATE_GOLDEN=1 rewrites the file from the current output
 * (review the diff before committing it).
 */
const goldenFile = join(import.meta.dirname, 'golden', 'pushdown.yaml');
const [stored] = loadCaseFiles(import.meta.dirname).filter((f) => f.file === 'stages.yaml');
const NS = 1_000_000n;
const TABLE = `logs_p${T0_MS}_${T0_MS + 3600_000}`;

interface Golden {
  query: string;
  inProcess: string[];
  streamsSql: string;
  linesSql: string;
  params: string[];
  lines: string[];
}

const golden = parse(readFileSync(goldenFile, 'utf8')) as Golden[];

function scanOf(query: string): { scan: LogScan; inProcess: string[] } {
  const plan = planLog(parseLogql(query) as LogExpr);
  const scan: LogScan = { matchers: plan.matchers, lineFilters: plan.lineFilters, startNs: BigInt(T0_MS) * NS, endNs: BigInt(T0_MS + 3600_000) * NS - 1n, direction: 'forward' };
  return { scan, inProcess: plan.stages.map((s) => s.kind) };
}

const paramText = (b: BoundSql): string[] => b.params.map((p) => `${p.type} ${Array.isArray(p.value) ? `[${(p.value as bigint[]).length} ids]` : String(p.value)}`);

describe('LogQL pushdown SQL (golden)', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = new DuckDbStore({ path: ':memory:', registry: new Registry(), logger: createLogger('silent'), partitionMs: 3600_000 });
    await store.open();
    const a = store.appender();
    a.appendLogs('t1', stored?.records ?? []);
    await a.commit();
  });
  afterAll(() => store.close());

  const current = async (query: string): Promise<Golden> => {
    const { scan, inProcess } = scanOf(query);
    const streams = streamsSql(duckDbLogDialect, 1, scan.matchers);
    const lines = linesSql(duckDbLogDialect, TABLE, 1, [1n, 2n], scan, undefined);
    const got: string[] = [];
    await store.querier('t1', T0_MS, T0_MS + 3600_000).scanLogs(scan, (batch) => {
      for (const l of batch) got.push(`${(l.timeNs - BigInt(T0_MS) * NS) / NS}ms ${l.line}`);
      return true;
    });
    return { query, inProcess, streamsSql: streams.sql, linesSql: lines.sql, params: [...paramText(streams), ...paramText(lines)], lines: got };
  };

  if (process.env['VIGIL_UPDATE_GOLDEN'] === '1') {
    it('rewrites the golden file', async () => {
      const out: Golden[] = [];
      for (const g of golden) out.push(await current(g.query));
      writeFileSync(goldenFile, stringify(out, { lineWidth: 0 }));
    });
    return;
  }

  it.each(golden.map((g) => [g.query, g] as const))('%s', async (_q, g) => {
    const got = await current(g.query);
    expect(got).toEqual(g);
    // No user text in SQL: every string parameter is absent from the statements' text.
    for (const p of got.params) {
      const value = p.replace(/^varchar /, '');
      if (p.startsWith('varchar ') && value.length > 2) expect(`${got.streamsSql}\n${got.linesSql}`).not.toContain(value);
    }
  });
});
