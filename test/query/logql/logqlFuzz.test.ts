import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VigilError } from '../../../core/index.js';
import { compilePipeline, parseLogql, planLog, promqlText, rangeAggregations } from '../../../query/logql/index.js';
import type { Expr } from '../../../query/logql/index.js';
import { prng } from '../../support/prng.js';

/**
 * LogQL parser fuzzing: 100k random and mutated queries. Each one either parses (and then its
 * pipelines compile and its metric form prints, or fail with a VigilError) or throws a
 * VigilError 'bad_data' — the API's 400 — never another exception and never a hang. Rerun one
 * seed with LOGQL_FUZZ_SEED=<seed>.
 */
const INPUTS = 100_000;
/** A hang detector, not a benchmark: generous for a GC pause on a loaded 2-core machine. */
const MAX_MS_PER_INPUT = 2000;

const corpus: string[] = [
  ...(parse(readFileSync(join(import.meta.dirname, 'stages.yaml'), 'utf8')) as { cases: { query: string }[] }).cases.map((c) => c.query),
  ...(parse(readFileSync(join(import.meta.dirname, 'golden', 'pushdown.yaml'), 'utf8')) as { query: string }[]).map((g) => g.query),
];

const vocabulary: readonly string[] = [
  '{', '}', '(', ')', '[', ']', ',', '|', '|=', '!=', '|~', '!~', '|>', '!>', '=', '=~', '==', '>', '>=', '<', '<=', '+', '-', '*', '/', '%', '^',
  'json', 'logfmt', '--strict', '--keep-empty', 'regexp', 'pattern', 'unpack', 'line_format', 'label_format', 'drop', 'keep', 'decolorize', 'unwrap',
  'bytes(', 'duration(', 'or', 'and', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'bool', 'offset',
  'count_over_time', 'rate', 'bytes_rate', 'sum_over_time', 'quantile_over_time', 'absent_over_time', 'sum', 'topk', 'avg', 'vector', 'label_replace',
  'app', '__error__', 'x', '"api"', '"<_> a <b>"', '"(?P<x>\\\\w+)"', '"{{.a | ToUpper}}"', '"{{ if .a }}x{{ else }}y{{ end }}"', '"{{"', '"(a"', '""', '`raw`',
  '5m', '1h', '10KB', '1.5s', '0.9', '1', '-1', '1e3', ' ', ' ', '\n',
];
const junk = '(){}[],|=!~<>"`\\ \n.0123456789abxyz_{}é\u0000';

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function input(rand: () => number): string {
  if (rand() < 0.3) {
    let s = '';
    for (let n = 1 + Math.floor(rand() * 25); n > 0; n--) s += pick(rand, vocabulary) + (rand() < 0.5 ? ' ' : '');
    return s;
  }
  let s = pick(rand, corpus);
  for (let r = 1 + Math.floor(rand() * 3); r > 0; r--) {
    const i = Math.floor(rand() * (s.length + 1));
    const j = Math.min(s.length, i + Math.floor(rand() * 8));
    const k = Math.floor(rand() * 4);
    if (k === 0) s = s.slice(0, i) + s.slice(j);
    else if (k === 1) s = s.slice(0, i) + pick(rand, vocabulary) + s.slice(i);
    else if (k === 2) s = s.slice(0, i) + pick(rand, [...junk]) + s.slice(i + 1);
    else s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
  }
  return s;
}

/** Parses and compiles like the query path does before reading any data. */
function compile(q: string): void {
  const expr: Expr = parseLogql(q);
  if (expr.kind === 'log') {
    compilePipeline(planLog(expr).stages)('level=info a=1 {"a":1}', 0n, { app: 'x' });
    return;
  }
  const leaves = rangeAggregations(expr);
  for (const r of leaves) compilePipeline(planLog(r.log).stages)('a=1', 0n, { app: 'x' });
  promqlText(expr, leaves);
}

describe('LogQL parser fuzzing', () => {
  it(`${INPUTS} inputs: a parse, or a bad_data error; no crash, no hang`, () => {
    const seed = Number(process.env['LOGQL_FUZZ_SEED'] ?? 20261206);
    const rand = prng(seed);
    let parsed = 0;
    for (let n = 0; n < INPUTS; n++) {
      const q = input(rand);
      const started = performance.now();
      try {
        compile(q);
        parsed++;
      } catch (err) {
        if (!(err instanceof VigilError) || err.code !== 'bad_data') throw new Error(`seed ${seed}, input ${n} ${JSON.stringify(q)}: ${String(err)}`, { cause: err });
      }
      const ms = performance.now() - started;
      if (ms > MAX_MS_PER_INPUT) throw new Error(`seed ${seed}, input ${n} ${JSON.stringify(q)} took ${Math.round(ms)} ms`);
    }
    // The mutations keep enough queries valid that the later stages are exercised too.
    expect(parsed).toBeGreaterThan(INPUTS / 20);
  }, 300_000);
});
