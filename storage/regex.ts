import { RE2JS } from 're2js';
import { capMessage } from '../core/index.js';

/**
 * Regular expressions of label matchers, with Prometheus 2.42's semantics everywhere: Go's RE2
 * syntax (so `(?i)` works and back-references and look-around are refused), fully anchored,
 * and `.` not matching a newline unless the pattern says `(?s)` (Prometheus 3 changed that
 * default; 2.42 is what Vigil answers like). The same anchored pattern goes to re2js in memory
 * and to DuckDB's regexp_full_match (RE2 in C++), so both engines agree: test/storage/regex.test.ts
 * runs every case through both.
 */

/**
 * The flag group the anchored pattern starts with. Explicit, so that neither engine's default
 * (DuckDB's regexp options, re2js' flags) decides whether `.` matches a newline.
 */
const DOT_FLAGS = '(?-s)';

/** Compiled patterns (or their syntax error) by source; label matchers repeat a lot. */
const cache = new Map<string, RE2JS | string>();
const CACHE_SIZE = 4096;

/**
 * The pattern both engines run: `source` anchored as Prometheus anchors it. Only valid for a
 * source that regexSyntaxError accepts: an unbalanced `)` could otherwise escape the group.
 */
export function anchoredPattern(source: string): string {
  return `${DOT_FLAGS}^(?:${source})$`;
}

/** Go's parse error for `source` ("error parsing regexp: …"), or undefined when it is valid RE2. */
export function regexSyntaxError(source: string): string | undefined {
  const compiled = lookup(source);
  return typeof compiled === 'string' ? compiled : undefined;
}

/**
 * A full-match test for `source` with Prometheus' semantics, or the syntax error as a string.
 * Common shapes skip the regex engine (as Prometheus' FastRegexMatcher does): a literal, an
 * alternation of literals, `.*` and `.+`.
 */
export function regexTester(source: string): ((value: string) => boolean) | string {
  const compiled = lookup(source);
  if (typeof compiled === 'string') return compiled;
  const fast = fastPath(source);
  if (fast !== undefined) return fast;
  return (value) => compiled.testExact(value);
}

function lookup(source: string): RE2JS | string {
  let hit = cache.get(source);
  if (hit === undefined) {
    hit = compile(source);
    // Oldest first out: a Map iterates in insertion order.
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(source, hit);
  }
  return hit;
}

function compile(source: string): RE2JS | string {
  let raw: RE2JS;
  try {
    // The source alone first, as Prometheus parses it: errors then quote what the user wrote.
    raw = RE2JS.compile(source);
  } catch (err) {
    // Go's messages end with the offending part of the pattern, which may be the whole of it: cut it.
    return capMessage(err instanceof Error ? err.message : String(err), 120);
  }
  // re2js follows newer Go in accepting `(?<name>…)`; Go 1.19 (Prometheus 2.42) and DuckDB's RE2
  // refuse it. More named groups than `(?P<` spellings means that form was used.
  if (Object.keys(raw.namedGroups()).length > source.split('(?P<').length - 1) {
    return 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`';
  }
  return RE2JS.compile(anchoredPattern(source));
}

/** Characters that make a pattern more than a literal. */
const META = /[\\^$.|?*+()[\]{}]/;

/** Only for valid sources; `.` here is DOT_FLAGS' `.`, which stops at a newline. */
function fastPath(source: string): ((value: string) => boolean) | undefined {
  if (source === '.*') return (v) => !v.includes('\n');
  if (source === '.+') return (v) => v !== '' && !v.includes('\n');
  const alternatives = source.split('|');
  if (alternatives.some((a) => META.test(a))) return undefined;
  if (alternatives.length === 1) return (v) => v === source;
  const set = new Set(alternatives);
  return (v) => set.has(v);
}
