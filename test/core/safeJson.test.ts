import { describe, expect, it } from 'vitest';
import { capMessage, checkJsonStructure, isVigilError, parseJsonSafely, safeJsonBodyParser } from '../../core/index.js';

const nested = (n: number, open = '[', close = ']'): string => open.repeat(n) + close.repeat(n);

describe('checkJsonStructure: depth without recursion, and the path where it failed', () => {
  it.each([
    ['a scalar', '1', 64, undefined],
    ['64 nested arrays at a limit of 64', nested(64), 64, undefined],
    ['65 nested arrays at a limit of 64', nested(65), 64, `nesting deeper than 64 levels at $${'[0]'.repeat(64)}`],
    ['brackets inside strings do not count', JSON.stringify({ a: '[[[[[[{{{{{{' }), 2, undefined],
    ['escaped quotes inside strings', JSON.stringify({ a: 'x\\"[[[[', b: '\\\\' }), 1, undefined],
    ['the path names keys and indices', '{"resourceMetrics":[{"x":1},{"scopeMetrics":[[[]]]}]}', 4, 'nesting deeper than 4 levels at $.resourceMetrics[1].scopeMetrics[0]'],
    ['odd keys are quoted', '{"a b":{"c":[]}}', 2, 'nesting deeper than 2 levels at $["a b"].c'],
    ['__proto__ is refused', '{"a":{"__proto__":{"x":1}}}', 64, 'forbidden key "__proto__" at $.a.__proto__'],
    ['constructor.prototype is refused', '{"constructor":{"prototype":{}}}', 64, 'forbidden key "constructor.prototype" at $.constructor.prototype'],
    ['"prototype" elsewhere is fine', '{"prototype":1,"constructor":{"a":1}}', 64, undefined],
    ['an unterminated string stops the scan (JSON.parse reports it)', '{"a', 64, undefined],
  ])('%s', (_name, text, depth, expected) => {
    const got = checkJsonStructure(text, depth);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toBe(expected);
  });

  it('cuts a long key in the path to a short quote', () => {
    const got = checkJsonStructure(`{${JSON.stringify('k'.repeat(5000))}:[[]]}`, 2) ?? '';
    expect(got).toContain('(5000 bytes)');
    expect(got.length).toBeLessThan(200);
  });

  it('refuses a 16 MiB body of brackets quickly', () => {
    const started = performance.now();
    expect(checkJsonStructure('['.repeat(16 << 20))).toMatch(/^nesting deeper than 64 levels/);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('parseJsonSafely', () => {
  it.each([
    ['deep nesting', nested(100), 'body: nesting deeper than 64 levels at $[0]'],
    ['a syntax error, short whatever the body', `{"a":${'x'.repeat(1 << 20)}`, 'malformed JSON body: '],
    ['__proto__ spelt with an escape', '{"\\u005f_proto__":{"polluted":1}}', 'body: forbidden key'],
    ['constructor.prototype spelt with escapes', '{"constructor":{"\\u0070rototype":{"polluted":1}}}', 'body: forbidden key'],
  ])('%s → 400 bad_data', (_name, text, message) => {
    let caught: unknown;
    try {
      parseJsonSafely(text);
    } catch (err) {
      caught = err;
    }
    expect(isVigilError(caught) && caught.code === 'bad_data').toBe(true);
    expect((caught as Error).message.startsWith(message)).toBe(true);
    expect((caught as Error).message.length).toBeLessThan(400);
  });

  it('parses what is within the limit', () => {
    expect(parseJsonSafely('{"a":[1,{"b":null}]}')).toEqual({ a: [1, { b: null }] });
  });

  it('as a content-type parser: empty bodies and bad bodies become errors, good ones values', () => {
    const parser = safeJsonBodyParser({ maxDepth: 2 });
    const results: unknown[] = [];
    for (const body of ['', '[[[]]]', '{"a":1}']) parser({}, body, (err, value) => results.push(err === null ? value : (err as Error).message));
    expect(results).toEqual(["body cannot be empty when content-type is set to 'application/json'", 'body: nesting deeper than 2 levels at $[0][0]', { a: 1 }]);
  });
});

describe('capMessage', () => {
  it.each([
    ['short', 'abc', 1024, 'abc'],
    ['long ASCII', 'x'.repeat(5000), 1024, undefined],
    ['long multi-byte', 'é'.repeat(5000), 1024, undefined],
  ])('%s stays within the byte limit', (_name, message, max, expected) => {
    const got = capMessage(message, max);
    if (expected !== undefined) expect(got).toBe(expected);
    expect(Buffer.byteLength(got, 'utf8')).toBeLessThanOrEqual(max);
    if (expected === undefined) expect(got).toMatch(/message cut, \d+ bytes\)$/);
  });
});
