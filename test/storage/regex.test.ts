import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Labels } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { LabelMatcher, MatchType } from '../../storage/index.js';
import { compileMatcher, regexSyntaxError } from '../../storage/index.js';

/**
 * Regex matchers answer like Prometheus 2.42 (Go's RE2, anchored, `.` stops at a newline) both
 * in memory (compileMatcher, re2js) and in DuckDB (the store's SQL, regexp_full_match): every
 * case runs through both and both must give Prometheus' answer.
 */
const matches: ReadonlyArray<readonly [pattern: string, value: string, expected: boolean]> = [
  ['(?i)foo', 'FOO', true],
  ['(?i)foo', 'fOo', true],
  ['(?i)foo', 'food', false],
  ['foo|bar', 'bar', true],
  ['foo|bar', 'foobar', false],
  ['foo|bar', '', false],
  ['.*', '', true],
  ['.*', 'anything at all', true],
  ['.*', 'two\nlines', false],
  ['.+', '', false],
  ['.+', 'x', true],
  ['a\\.b', 'a.b', true],
  ['a\\.b', 'axb', false],
  ['\\d+', '123', true],
  ['\\d+', '12a', false],
  ['\\d+', '٣', false], // \d is ASCII only in RE2
  ['api', 'api-2', false], // anchored
  ['ü.', 'üé', true],
  ['.', '😀', true], // one code point, not two UTF-16 units
  ['\\pL+', '日本', true],
  ['', '', true],
  ['', 'a', false],
  ['.', '\n', false],
  ['(?s).', '\n', true],
  ['[[:alpha:]]+', 'abc', true],
  ['[[:alpha:]]+', 'ab1', false],
  ['\\pL', 'é', true],
  ['\\pL', '1', false],
  ['(?i)k', '\u212a', true], // Kelvin sign folds to k, in Go and in RE2
  ['a+?b', 'aab', true],
];

/** Patterns Go's regexp refuses: Prometheus answers 400, and so must both paths here. */
const refused: ReadonlyArray<readonly [pattern: string, error: string]> = [
  ['(a)\\1', 'invalid escape sequence: `\\1`'],
  ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
  ['(?<=a)b', 'invalid named capture'],
  ['(', 'missing closing ): `(`'],
  ['a)|(b', 'unexpected ): `a)|(b`'],
  ['(?<n>a)', 'invalid or unsupported Perl syntax: `(?<`'],
  ['\\C', 'invalid escape sequence: `\\C`'], // DuckDB's RE2 would accept it
  ['a{1001}', 'invalid repeat count'],
];

const T = Date.UTC(2026, 0, 1);
const TENANT = 't';

describe('regex matchers: in memory and in DuckDB, like Prometheus', () => {
  const store = new DuckDbStore({ path: ':memory:', registry: new Registry(), logger: pino({ level: 'silent' }) });
  /** One series per tested value, labelled v=<value> (no v at all for ''), so a selection tells which values matched. */
  const values = [...new Set(matches.map(([, value]) => value))];
  const labelsOf = (value: string, i: number): Labels => (value === '' ? { __name__: 'r', i: String(i) } : { __name__: 'r', i: String(i), v: value });

  beforeAll(async () => {
    await store.open();
    const a = store.appender();
    values.forEach((value, i) => a.appendSeries(TENANT, { labels: labelsOf(value, i), samples: [{ t: T, v: 1 }] }));
    await a.commit();
  });
  afterAll(() => store.close());

  /** The matcher evaluated by DuckDB: does selecting with it return the series of `value`? */
  const inDuckDb = async (m: LabelMatcher, value: string): Promise<boolean> => {
    const selected = await store.querier(TENANT, T, T).selectSeries([{ type: '=', name: '__name__', value: 'r' }, m]);
    return selected.some((s) => s.labels['i'] === String(values.indexOf(value)));
  };

  const cases = matches.flatMap(([pattern, value, expected]) =>
    (['=~', '!~'] as MatchType[]).map((type) => ({ type, pattern, value, expected: type === '=~' ? expected : !expected })),
  );

  it.each(cases)('$pattern $type $value → $expected', async ({ type, pattern, value, expected }) => {
    const m: LabelMatcher = { type, name: 'v', value: pattern };
    expect(compileMatcher(m)(value)).toBe(expected);
    expect(await inDuckDb(m, value)).toBe(expected);
  });

  it.each(refused)("%s is refused with Go's error, naming the matcher", async (pattern, error) => {
    const m: LabelMatcher = { type: '=~', name: 'job', value: pattern };
    expect(regexSyntaxError(pattern)).toContain(`error parsing regexp: ${error}`);
    const named = `invalid regular expression in matcher job=~${JSON.stringify(pattern)}`;
    expect(() => compileMatcher(m)).toThrow(named);
    await expect(store.querier(TENANT, T, T).selectSeries([m])).rejects.toThrow(named);
  });
});
