import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '../../core/index.js';
import { formatSampleValue, formatTimestamp, MAX_TIME_MS, MIN_TIME_MS, parseDurationParamMs, parseTimeMs } from '../../query/index.js';

describe('Prometheus value and time formats', () => {
  it.each([
    [1, '1'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [0, '0'],
    [-0, '-0'],
    [1e-6, '0.000001'],
    [1e-7, '1e-07'],
    [-1.25e-10, '-1.25e-10'],
    [1e20, '100000000000000000000'],
    [1e21, '1e+21'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [NaN, 'NaN'],
    [STALE_NAN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('value %s → %s', (v, text) => {
    expect(formatSampleValue(v)).toBe(text);
  });

  it.each([
    [1_700_000_000_000, '1700000000'],
    [1_700_000_000_100, '1700000000.100'],
    [1_700_000_000_010, '1700000000.010'],
    [1_700_000_000_001, '1700000000.001'],
    [0, '0'],
    [-1_500, '-1.500'],
    [-5, '-0.005'],
  ])('timestamp %s ms → %s', (ms, text) => {
    expect(formatTimestamp(ms)).toBe(text);
  });

  it.each<[string, number | undefined]>([
    ['1700000000', 1_700_000_000_000],
    ['1700000000.123', 1_700_000_000_123],
    ['1700000000.1239', 1_700_000_000_124],
    ['-1.5', -1_500],
    ['1.7e9', 1_700_000_000_000],
    ['2023-11-14T22:13:20Z', 1_700_000_000_000],
    ['2023-11-14T22:13:20.123456789Z', 1_700_000_000_123],
    ['2023-11-14T23:13:20+01:00', 1_700_000_000_000],
    ['-292273086-05-16T16:47:06Z', MIN_TIME_MS],
    ['292277025-08-18T07:12:54.999999999Z', MAX_TIME_MS],
    ['', undefined],
    ['now', undefined],
    ['2023-11-14', undefined],
    ['1e300', undefined],
    ['Inf', undefined],
  ])('time %j → %s', (text, ms) => {
    expect(parseTimeMs(text)).toBe(ms);
  });

  it.each<[string, number | undefined]>([
    ['15', 15_000],
    ['0.5', 500],
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['100ms', 100],
    ['0', 0],
    ['-5', -5_000],
    ['', undefined],
    ['5 m', undefined],
    ['1s1m', undefined],
  ])('duration %j → %s ms', (text, ms) => {
    expect(parseDurationParamMs(text)).toBe(ms);
  });

  it('recognises the staleness marker, also after V8 quiets it, and no other NaN', () => {
    const quieted = [1.5, STALE_NAN][1] as number; // a double array sets the quiet bit
    expect(isStaleNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(quieted)).toBe(true);
    expect(isStaleNaN(NaN)).toBe(false);
    expect(isStaleNaN(0)).toBe(false);
  });
});
