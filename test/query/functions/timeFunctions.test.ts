import { describe, expect, it } from 'vitest';
import { callFunction, onlyValue, vector } from './callFunction.js';

// Known dates: 2024-02-29T13:45:00Z was a Thursday, the 60th day of a leap year.
const leapDay = Date.UTC(2024, 1, 29, 13, 45) / 1000;

describe('date functions (UTC)', () => {
  it.each<[string, number, number]>([
    ['year', leapDay, 2024],
    ['month', leapDay, 2],
    ['day_of_month', leapDay, 29],
    ['day_of_year', leapDay, 60],
    ['day_of_week', leapDay, 4],
    ['hour', leapDay, 13],
    ['minute', leapDay, 45],
    ['days_in_month', leapDay, 29],
    ['days_in_month', Date.UTC(2023, 1, 1) / 1000, 28],
    ['days_in_month', Date.UTC(2100, 1, 1) / 1000, 28], // divisible by 100, not by 400
    ['days_in_month', Date.UTC(2000, 1, 1) / 1000, 29],
    ['days_in_month', Date.UTC(2024, 3, 1) / 1000, 30],
    ['day_of_year', Date.UTC(2024, 11, 31) / 1000, 366],
    ['day_of_week', 0, 4], // 1970-01-01, Thursday
    ['day_of_week', Date.UTC(2024, 2, 3) / 1000, 0], // a Sunday
    ['minute', leapDay + 59.9, 45], // seconds are truncated, never rounded
    ['year', -1, 1969],
    // Go turns NaN and ±Inf into the smallest int64 and its date arithmetic wraps: values printed by Go 1.26.
    ['year', NaN, 292277026596],
    ['month', Infinity, 12],
    ['day_of_month', -Infinity, 4],
    ['day_of_year', NaN, 339],
    ['hour', NaN, 15],
    ['minute', 1e19, 30],
    ['year', -1e15, -31686769],
    ['day_of_year', -1e15, 180],
    ['minute', -1e15, 13],
  ])('%s(%d) = %d', (fn, seconds, expected) => {
    expect(onlyValue(callFunction(fn, [vector([{ __name__: 'm' }, seconds])], { t: 0 }))).toBe(expected);
  });

  it('without an argument read the evaluation time, as vector(time())', () => {
    expect(callFunction('hour', [], { t: leapDay * 1000 + 999 })).toEqual({ kind: 'vector', elements: [{ labels: {}, t: leapDay * 1000 + 999, v: 13 }] });
  });

  it('drop __name__', () => {
    const r = callFunction('year', [vector([{ __name__: 'm', a: 'b' }, 0])], { t: 0 });
    expect(r.kind === 'vector' && r.elements[0]?.labels).toEqual({ a: 'b' });
  });
});

describe('time and timestamp', () => {
  it('time() is the evaluation time in seconds', () => {
    expect(callFunction('time', [], { t: 1500 })).toEqual({ kind: 'scalar', v: 1.5 });
  });
  it('timestamp() is each element\'s own time in seconds, without __name__', () => {
    const input = { kind: 'vector' as const, elements: [{ labels: { __name__: 'm', a: 'b' }, t: 90_500, v: 42 }] };
    expect(callFunction('timestamp', [input], { t: 120_000 })).toEqual({ kind: 'vector', elements: [{ labels: { a: 'b' }, t: 120_000, v: 90.5 }] });
  });
});
