import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSeries } from '../../core/index.js';
import type { EngineOptions, QueryValue } from '../../query/index.js';
import { createEngine, formatSampleValue, tenantQueryable } from '../../query/index.js';
import { MemoryStore } from './memoryStore.js';
import type { ExpectedSeries } from './promqlScript.js';
import { parseScript, SCALAR_RESULT, STRING_RESULT } from './promqlScript.js';

const dataDir = join(import.meta.dirname, 'data');
const scripts = readdirSync(dataDir).filter((f) => f.endsWith('.test.txt')).sort();

/** What a result looks like in the scripts' terms. */
function actualSeries(value: QueryValue): ExpectedSeries[] {
  switch (value.resultType) {
    case 'vector':
      return value.result.map((e) => ({ series: formatSeries(e.labels), points: [[e.t, formatSampleValue(e.v)] as const] }));
    case 'matrix':
      return value.result.map((s) => ({ series: formatSeries(s.labels), points: s.points.map((p) => [p.t, formatSampleValue(p.v)] as const) }));
    case 'scalar':
      return [{ series: SCALAR_RESULT, points: [[value.result.t, formatSampleValue(value.result.v)] as const] }];
    case 'string':
      return [{ series: STRING_RESULT, points: [[value.result.t, value.result.value] as const] }];
  }
}

describe('PromQL engine scripts', () => {
  it('finds its scripts', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of scripts) {
    it(file, async () => {
      const commands = parseScript(readFileSync(join(dataDir, file), 'utf8'));
      let store = new MemoryStore();
      let options: EngineOptions = {};
      let engine = createEngine();
      let evals = 0;
      for (const cmd of commands) {
        const where = `${file}:${cmd.line}`;
        switch (cmd.kind) {
          case 'load':
            store.add('t', ...cmd.series);
            continue;
          case 'clear':
            store = new MemoryStore();
            continue;
          case 'lookback':
            engine = createEngine((options = { ...options, lookbackDeltaMs: cmd.ms }));
            continue;
          case 'maxSamples':
            engine = createEngine((options = { ...options, maxSamples: cmd.limit }));
            continue;
          case 'evalInstant':
          case 'evalRange': {
            evals++;
            const queryable = tenantQueryable(store, 't');
            const run =
              cmd.kind === 'evalInstant'
                ? engine.instantQuery(queryable, cmd.expr, cmd.atMs)
                : engine.rangeQuery(queryable, cmd.expr, cmd.startMs, cmd.endMs, cmd.stepMs);
            if ('fail' in cmd.expect) {
              await expect(run, where).rejects.toThrow(cmd.expect.fail);
              const err = await run.catch((e: unknown) => e);
              expect((err as Error).message, where).toBe(cmd.expect.fail);
            } else {
              expect(actualSeries(await run), where).toEqual(cmd.expect.series);
            }
          }
        }
      }
      expect(evals).toBeGreaterThan(0);
    });
  }
});
