/*
 * How one query is timed and weighed: warm-up runs first (caches, JIT, the OS page cache), then
 * N timed runs. Memory is weighed on a process's first run of the query: a process that already
 * ran it keeps the heap it grew, and a second run would seem to add nothing.
 */
import type { RssSampler } from './rssSampler.js';

export interface Measured {
  readonly ms: number[];
  /** Peak RSS during the weighed run minus the RSS just before it. */
  readonly rssAddedBytes: number;
  readonly error?: string;
}

/** Times `run` in this process (the engine); its memory is weighed apart, in a fresh process (rssProbe.ts). */
export async function timeInProcess(run: () => Promise<unknown>, warmups: number, runs: number): Promise<Measured> {
  try {
    for (let i = 0; i < warmups; i++) await run();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await run();
      ms.push(performance.now() - t);
    }
    return { ms, rssAddedBytes: NaN };
  } catch (e) {
    return { ms: [], rssAddedBytes: NaN, error: (e as Error).message };
  }
}

/** One HTTP query, its body read to the end (parsing it is the client's business, not the server's). */
export async function fetchQuery(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

export interface Side {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
}

/**
 * Times the same URL on two servers freshly started for this query. First each server's process
 * is weighed on its first run of the query (memory a warm process already holds would hide the
 * query's own need); then the runs are interleaved (A B A B …) so that a change in the machine's
 * load during the bench falls on both alike.
 */
export async function measureHttpPair(a: Side, b: Side, warmups: number, runs: number, sampler: RssSampler): Promise<[Measured, Measured]> {
  const ms: [number[], number[]] = [[], []];
  const errors: [string | undefined, string | undefined] = [undefined, undefined];
  const once = async (side: Side, i: 0 | 1, timed: boolean): Promise<void> => {
    if (errors[i] !== undefined) return;
    const t = performance.now();
    const res = await fetchQuery(side.url);
    const took = performance.now() - t;
    if (res.status !== 200) errors[i] = `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
    else if (timed) ms[i].push(took);
  };
  const weigh = async (side: Side, i: 0 | 1): Promise<number> => {
    const before = sampler.start(side.pid);
    await once(side, i, false);
    return sampler.stop(side.pid) - before;
  };
  const rss = [await weigh(a, 0), await weigh(b, 1)];
  for (let r = 1; r < warmups; r++) {
    await once(a, 0, false);
    await once(b, 1, false);
  }
  for (let r = 0; r < runs; r++) {
    await once(a, 0, true);
    await once(b, 1, true);
  }
  const result = (i: 0 | 1): Measured => ({ ms: ms[i], rssAddedBytes: errors[i] === undefined ? (rss[i] as number) : NaN, ...(errors[i] === undefined ? {} : { error: errors[i] }) });
  return [result(0), result(1)];
}

/** A result's shape, to check that both sides answered alike: series, points, and the sum of the finite values. */
export function answerDigest(body: string): { series: number; points: number; sum: number } {
  const json = JSON.parse(body) as { data: { resultType: string; result: Array<{ value?: [number, string]; values?: Array<[number, string]> }> } };
  let points = 0;
  let sum = 0;
  for (const s of json.data.result) {
    for (const [, v] of s.values ?? (s.value === undefined ? [] : [s.value])) {
      points++;
      const x = Number(v);
      if (Number.isFinite(x)) sum += x;
    }
  }
  return { series: json.data.result.length, points, sum };
}
