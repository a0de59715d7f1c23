import { describe, expect, it } from 'vitest';
import { FUNCTIONS, formatExpr, isParseError, parseExpr } from '../../query/index.js';
import { corpus } from './promqlCorpus.js';
import { shape } from './promqlShape.js';
import { prng } from '../support/prng.js';

/**
 * Parser fuzzing: 100k random and mutated inputs. Every input either parses or throws a
 * ParseError (never another exception, never a hang), and every successful parse round-trips
 * through the printer. The seed is printed on failure; rerun one with PROMQL_FUZZ_SEED=<seed>.
 */
const INPUTS = 100_000;
// A hang detector, not a benchmark: generous enough for a GC pause on a loaded 2-core machine.
const MAX_MS_PER_INPUT = 2000;


const vocabulary: readonly string[] = [
  ...[...FUNCTIONS.keys()].filter((_, i) => i % 3 === 0),
  'rate', 'label_join', 'round', 'time', 'histogram_quantile', 'holt_winters',
  'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values', 'quantile',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'atan2', 'start', 'end',
  'up', 'x', 'foo:bar', 'job', '__name__', 'le', 'Inf', 'NaN', 'inf',
  '0', '1', '-1', '1.5', '0x1f', '017', '1e3', '1e-7', '.5', '1e400', '9999999999999',
  '5m', '1h30m', '0s', '250ms', '1y', '5m1h',
  '"a"', "'b'", '`c`', '"\\n"', '"(a"', '""', '".*"',
  '(', ')', '{', '}', '[', ']', ',', ':', '@', '#c\n',
  '+', '-', '*', '/', '%', '^', '==', '!=', '<=', '>=', '<', '>', '=', '=~', '!~',
  ' ', ' ', ' ', '\n', '\t',
];
const junkChars = '(){}[],:@#"\'`\\+-*/%^=!<>~ \n\t.0123456789abcxyzASIN_:$é😀\u0000';

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function tokenSoup(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 25);
  let out = '';
  for (let i = 0; i < n; i++) out += pick(rand, vocabulary) + (rand() < 0.5 ? ' ' : '');
  return out;
}

function mutate(rand: () => number, q: string): string {
  let s = q;
  const rounds = 1 + Math.floor(rand() * 3);
  for (let r = 0; r < rounds; r++) {
    const i = Math.floor(rand() * (s.length + 1));
    const j = Math.min(s.length, i + Math.floor(rand() * 8));
    switch (Math.floor(rand() * 6)) {
      case 0: // delete a slice
        s = s.slice(0, i) + s.slice(j);
        break;
      case 1: // insert a token
        s = s.slice(0, i) + pick(rand, vocabulary) + s.slice(i);
        break;
      case 2: // replace a character
        s = s.slice(0, i) + pick(rand, [...junkChars]) + s.slice(i + 1);
        break;
      case 3: // duplicate a slice
        s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
        break;
      case 4: // splice in part of another query
        s = s.slice(0, i) + pick(rand, corpus).slice(0, 1 + Math.floor(rand() * 20)) + s.slice(j);
        break;
      default: // wrap in something
        s = `${pick(rand, ['(', 'sum(', 'rate(', '-', 'abs(', '1 + '])}${s}${pick(rand, [')', '[5m:]', ' offset 1m', ' @ 1', ''])}`;
    }
  }
  return s;
}

/** What must hold for one input; returns a description of the violation, or undefined. */
function violation(input: string): string | undefined {
  const started = performance.now();
  let parsed;
  try {
    parsed = parseExpr(input);
  } catch (err) {
    if (!isParseError(err)) return `threw ${String(err)}`;
    if (performance.now() - started > MAX_MS_PER_INPUT) return 'took too long to fail';
    return undefined;
  }
  let printed = '';
  try {
    printed = formatExpr(parsed);
    const again = parseExpr(printed);
    if (JSON.stringify(shape(again)) !== JSON.stringify(shape(parsed))) return `round trip changed the tree: printed ${JSON.stringify(printed)}`;
    if (formatExpr(again) !== printed) return `printing is not a fixed point: ${JSON.stringify(printed)}`;
  } catch (err) {
    return `printed ${JSON.stringify(printed)}, which fails to parse back: ${String(err)}`;
  }
  if (performance.now() - started > MAX_MS_PER_INPUT) return 'took too long';
  return undefined;
}

function parsesCleanly(input: string): boolean {
  try {
    parseExpr(input);
    return true;
  } catch {
    return false;
  }
}

describe('PromQL parser fuzzing', () => {
  it(`${INPUTS} random and mutated inputs: ParseError or a round-tripping tree, quickly`, () => {
    const seed = Number(process.env['PROMQL_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    const rand = prng(seed);
    const failures: string[] = [];
    let parsedOk = 0;
    for (let n = 0; n < INPUTS && failures.length < 5; n++) {
      const input = rand() < 0.4 ? tokenSoup(rand) : mutate(rand, pick(rand, corpus));
      const problem = violation(input);
      if (problem !== undefined) failures.push(`input ${JSON.stringify(input)}: ${problem}`);
      else if (parsesCleanly(input)) parsedOk++;
    }
    expect(failures, `seed ${seed} (rerun with PROMQL_FUZZ_SEED=${seed})`).toEqual([]);
    // The generator must reach past the first error often enough to exercise the printer.
    expect(parsedOk, `seed ${seed}`).toBeGreaterThan(INPUTS / 10);
  }, 60_000);

  it('deep and long inputs fail fast with a ParseError', () => {
    const inputs = [
      '('.repeat(100_000),
      `${'('.repeat(100_000)}a`,
      `${'sum('.repeat(50_000)}x`,
      `x${'[5m:]'.repeat(50_000)}`,
      `{${'a="b",'.repeat(20_000)}`,
      '"'.padEnd(200_000, 'x'),
      `${'-'.repeat(200_000)}`,
      `a${' or a'.repeat(100_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      expect(() => parseExpr(input)).toThrow(/parse error at char/);
      expect(performance.now() - started).toBeLessThan(5000); // no hang: linear work, not a timing target
    }
  });
});
