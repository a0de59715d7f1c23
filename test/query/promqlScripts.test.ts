import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import type { Engine, QueryableStore, QueryValue } from '../../query/index.js';
import { createEngine, tenantQueryable } from '../../query/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { MemoryStore } from './memoryStore.js';
import { compareSeries } from './promqlCompare.js';
import { engineSeries } from './promqlResult.js';
import type { EvalCommand } from './promqlSections.js';
import { caseName, scriptFiles, supportedScripts } from './promqlScriptFiles.js';

/**
 * test/query/promql/*.test against Vigil's engine, over the in-memory store and over a real
 * DuckDB store. Every script runs. Those listed in SUPPORTED must pass whole; in the others an
 * eval the engine refuses as "not supported yet" is reported skipped rather than failed, so the
 * scripts can land before the evaluator does. Any other answer is judged as usual.
 */
const files = scriptFiles();
const supported = supportedScripts();
const tenantOf = (file: string, section: number): string => `${file}#${section}`;

function run(engine: Engine, store: QueryableStore, tenant: string, cmd: EvalCommand): Promise<QueryValue> {
  const queryable = tenantQueryable(store, tenant);
  return cmd.kind === 'evalInstant' ? engine.instantQuery(queryable, cmd.expr, cmd.atMs) : engine.rangeQuery(queryable, cmd.expr, cmd.startMs, cmd.endMs, cmd.stepMs);
}

const notYet = (e: unknown): boolean => e instanceof Error && / not supported yet$/.test(e.message);

describe('SUPPORTED names existing scripts', () => {
  it.each([...supported])('%s', (name) => {
    expect(files.map((f) => f.name)).toContain(name);
  });
});

for (const storeKind of ['memory', 'duckdb'] as const) {
  describe(`PromQL scripts over ${storeKind}`, () => {
    let store: QueryableStore;
    let duck: DuckDbStore | undefined;

    beforeAll(async () => {
      if (storeKind === 'memory') {
        const memory = new MemoryStore();
        for (const f of files) for (const s of f.sections) memory.add(tenantOf(f.name, s.index), ...s.series);
        store = memory;
        return;
      }
      duck = new DuckDbStore({ path: ':memory:', registry: new Registry(), logger: createLogger('silent') });
      await duck.open();
      const appender = duck.appender();
      for (const f of files) for (const s of f.sections) for (const series of s.series) appender.appendSeries(tenantOf(f.name, s.index), series);
      await appender.commit();
      store = duck;
    });
    afterAll(async () => {
      await duck?.close();
    });

    for (const file of files) {
      describe(file.name, () => {
        for (const section of file.sections) {
          const engine = createEngine(section.lookbackMs === undefined ? {} : { lookbackDeltaMs: section.lookbackMs });
          for (const cmd of section.evals) {
            it(caseName(file.name, cmd.line, cmd.expr), async (ctx) => {
              const outcome = await run(engine, store, tenantOf(file.name, section.index), cmd).then(
                (value) => ({ value }),
                (error: unknown) => ({ error }),
              );
              if ('error' in outcome && notYet(outcome.error) && !supported.has(file.name)) ctx.skip();
              if ('fail' in cmd.expect) {
                expect('error' in outcome, 'the query should have failed').toBe(true);
                if (cmd.expect.fail !== undefined && 'error' in outcome) expect((outcome.error as Error).message).toBe(cmd.expect.fail);
                return;
              }
              if ('error' in outcome) throw outcome.error;
              const ordered = cmd.kind === 'evalInstant' && cmd.ordered;
              expect(compareSeries(cmd.expect.series, engineSeries(outcome.value), ordered)).toBeUndefined();
            });
          }
        }
      });
    }
  });
}
