import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineOptions } from '../../query/index.js';
import { createEngine, tenantQueryable } from '../../query/index.js';
import { MemoryStore } from './memoryStore.js';
import { parseScript } from './promqlScript.js';
import { engineSeries } from './promqlResult.js';

const dataDir = join(import.meta.dirname, 'data');
const scripts = readdirSync(dataDir).filter((f) => f.endsWith('.test.txt')).sort();


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
              expect(engineSeries(await run), where).toEqual(cmd.expect.series);
            }
          }
        }
      }
      expect(evals).toBeGreaterThan(0);
    });
  }
});
