import { describe, expect, it } from 'vitest';
import { checkSeriesLabels, checkTimestampMs, formatSeries, loadConfig, seriesId } from '../../core/index.js';

const limits = { ...loadConfig().limits, maxLabelsPerSeries: 4, maxLabelNameLength: 16, maxLabelValueLength: 12 };

describe('series identity', () => {
  it('does not depend on label order', () => {
    expect(seriesId({ __name__: 'up', job: 'a', instance: 'b' })).toBe(seriesId({ instance: 'b', job: 'a', __name__: 'up' }));
  });
  it.each([
    [{ __name__: 'up', a: 'b,c' }, { __name__: 'up', a: 'b', c: '' }],
    [{ __name__: 'up', a: 'x' }, { __name__: 'up', a: 'y' }],
    [{ __name__: 'up' }, { __name__: 'up2' }],
  ])('distinguishes %j from %j', (a, b) => {
    expect(seriesId(a)).not.toBe(seriesId(b));
  });
  // Stored series are keyed by these ids: a change here would split every series in existing data.
  it.each([
    [{ __name__: 'up', job: 'node' }, 0xe390110da2be0f5dn],
    [{ __name__: 'http_requests_total', job: 'api', instance: '10.0.0.1:9090', path: '/ü/日本' }, 0x48d61e7514783b42n],
    [{}, 0n],
  ])('is a stable 64-bit value: %j → %s', (labels, id) => {
    expect(seriesId(labels)).toBe(id);
  });
  it('formats as Prometheus does', () => {
    expect(formatSeries({ job: 'a', __name__: 'up', env: 'p"q' })).toBe('up{env="p\\"q", job="a"}');
  });
});

describe('label rules and limits', () => {
  it.each([
    [{ __name__: 'up', job: 'x' }, undefined],
    [{ __name__: 'ns:up_total', job: 'x' }, undefined],
    [{ job: 'x' }, /no metric name/],
    [{ __name__: '1up' }, /invalid metric name "1up"/],
    [{ __name__: 'up', 'bad-name': 'x' }, /invalid label name "bad-name"/],
    [{ __name__: 'up', a: '1', b: '2', c: '3', d: '4' }, /has 5 labels, more than the limit of 4/],
    [{ __name__: 'up', abcdefghijklmnopq: '1' }, /longer than 16/],
    [{ __name__: 'up', a: '1234567890123' }, /value of label a on up is longer than 12/],
  ])('%j → %s', (labels, expected) => {
    const msg = checkSeriesLabels(labels, limits);
    if (expected === undefined) expect(msg).toBeUndefined();
    else expect(msg).toMatch(expected);
  });

  const now = Date.UTC(2026, 10, 27);
  it.each([
    [now, undefined],
    [now - 1000, undefined],
    [Number.NaN, /not a finite number/],
    [Number.POSITIVE_INFINITY, /not a finite number/],
    [now + 3600_000, /in the future/],
    [0, /older than/],
    [-1e20, /older than/],
    [1e20, /in the future/],
  ])('timestamp %d → %s', (t, expected) => {
    const msg = checkTimestampMs(t, now, limits);
    if (expected === undefined) expect(msg).toBeUndefined();
    else expect(msg).toMatch(expected);
  });
});
