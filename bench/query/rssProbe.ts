/*
 * Weighs one query of the bench in a fresh process: opens the store, runs a tiny query so that
 * code is loaded and compiled, then runs the bench query once while a worker samples RSS, and
 * prints the peak RSS added (bytes). A fresh process, because a process that has run the query
 * before keeps the heap it grew and would seem to need nothing.
 *
 *   tsx bench/query/rssProbe.ts DATA_DIR QUERY_INDEX
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createEngine, tenantQueryable } from '../../query/index.js';
import { LOOKBACK_MS, openStore, readMeta, TENANT } from './benchData.js';
import { families } from './data.js';
import { benchQueries } from './queries.js';
import { RssSampler } from './rssSampler.js';
import { collectGarbage } from './stats.js';

async function probe(dir: string, index: number): Promise<number> {
  const { scale, endMs } = readMeta(dir);
  const q = benchQueries(families(scale, endMs), endMs, scale.longSpanMs)[index];
  if (q === undefined) throw new Error(`no query ${index}`);
  const store = openStore(dir);
  await store.open();
  const engine = createEngine({ lookbackDeltaMs: LOOKBACK_MS });
  const queryable = tenantQueryable(store, TENANT);
  await engine.instantQuery(queryable, 'sum(rate(no_such_metric[5m]))', endMs);
  const sampler = new RssSampler();
  collectGarbage();
  const before = sampler.start(process.pid);
  if (q.kind === 'instant') await engine.instantQuery(queryable, q.expr, q.endMs);
  else await engine.rangeQuery(queryable, q.expr, q.startMs, q.endMs, q.stepMs);
  const added = sampler.stop(process.pid) - before;
  await sampler.close();
  await store.close();
  return added;
}

/** Runs the probe as a child process (the store must not be open in this one: DuckDB locks its file). */
export async function probeEngineRss(dir: string, index: number): Promise<number> {
  // process.execArgv carries tsx's loader; --cpu-prof and the like are left to the parent.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
  const child = spawn(process.execPath, [...execArgv, fileURLToPath(import.meta.url), dir, String(index)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) return NaN;
  return Number(out.trim());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, index] = process.argv.slice(2);
  process.stdout.write(`${await probe(dir ?? '', Number(index))}\n`);
}
