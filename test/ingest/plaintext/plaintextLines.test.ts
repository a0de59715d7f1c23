import { describe, expect, it } from 'vitest';
import type { TimeSeries } from '../../../core/index.js';
import { parseGraphiteLine, parseWavefrontLine } from '../../../ingest/index.js';

const NOW = 1_700_000_060_000;

describe('parseGraphiteLine', () => {
  it.each<[string, TimeSeries]>([
    ['servers.web1.cpu.user 42.5 1700000000', { labels: { __name__: 'servers_web1_cpu_user' }, samples: [{ t: 1_700_000_000_000, v: 42.5 }] }],
    ['disk.used;datacenter=dc1;rack=a1 -3e2 1700000000.25', { labels: { __name__: 'disk_used', datacenter: 'dc1', rack: 'a1' }, samples: [{ t: 1_700_000_000_250, v: -300 }] }],
    ['  a.b  1  ', { labels: { __name__: 'a_b' }, samples: [{ t: NOW, v: 1 }] }],
    ['a 1 -1', { labels: { __name__: 'a' }, samples: [{ t: NOW, v: 1 }] }],
    ['9lives.x--y 0 1700000000', { labels: { __name__: '_9lives_x_y' }, samples: [{ t: 1_700_000_000_000, v: 0 }] }],
    ['a;tag.with.dots=v=1 2 1700000000', { labels: { __name__: 'a', tag_with_dots: 'v=1' }, samples: [{ t: 1_700_000_000_000, v: 2 }] }],
    ['a;__name__=x 1', { labels: { __name__: 'a', key__name__: 'x' }, samples: [{ t: NOW, v: 1 }] }],
  ])('%j', (line, expected) => {
    expect(parseGraphiteLine(line, NOW)).toEqual(expected);
  });

  it('reads NaN and Inf', () => {
    expect(parseGraphiteLine('a nan 1', NOW).samples[0]?.v).toBeNaN();
    expect(parseGraphiteLine('a -Inf 1', NOW).samples[0]?.v).toBe(-Infinity);
  });

  it.each([
    ['a', /expected "<path> <value> \[<timestamp>\]", got 1 field/],
    ['a 1 2 3', /got 4 field/],
    ['a x 1', /value "x" is not a number/],
    ['a 1 yesterday', /timestamp "yesterday" is not Unix seconds/],
    ['a;k 1', /tag "k" is not name=value/],
    ['a;k= 1', /tag "k=" is not name=value/],
    ['a;k=1;k=2 1', /duplicate tag "k"/],
    [';k=v 1', /empty metric path/],
  ])('refuses %j', (line, message) => {
    expect(() => parseGraphiteLine(line, NOW)).toThrow(message);
  });
});

describe('parseWavefrontLine', () => {
  it.each<[string, TimeSeries]>([
    ['system.cpu.loadavg.1m 0.03 1700000000 source=web1', { labels: { __name__: 'system_cpu_loadavg_1m', source: 'web1' }, samples: [{ t: 1_700_000_000_000, v: 0.03 }] }],
    ['request.count 1001 source=web1 env="prod" "dc name"="us west"', { labels: { __name__: 'request_count', source: 'web1', env: 'prod', dc_name: 'us west' }, samples: [{ t: NOW, v: 1001 }] }],
    ['"quoted.name" -2 1700000000123 host=h1', { labels: { __name__: 'quoted_name', source: 'h1' }, samples: [{ t: 1_700_000_000_123, v: -2 }] }],
    ['m 1 source="a \\"b\\"" k="x\\\\y"', { labels: { __name__: 'm', source: 'a "b"', k: 'x\\y' }, samples: [{ t: NOW, v: 1 }] }],
    ['m 1 source=s host=h', { labels: { __name__: 'm', source: 's', host: 'h' }, samples: [{ t: NOW, v: 1 }] }],
  ])('%j', (line, expected) => {
    expect(parseWavefrontLine(line, NOW)).toEqual(expected);
  });

  it.each([
    ['m 1', /expected "<metric> <value>/],
    ['m 1 1700000000', /source= \(or host=\) is required/],
    ['m x source=s', /value "x" is not a number/],
    ['m 1 now source=s', /timestamp "now" is not Unix seconds/],
    ['m 1 source=s k="unterminated', /unterminated quote/],
    ['m 1 source=s k=v k=w', /duplicate or invalid tag "k"/],
    ['m 1 source=s bare', /expected key=value, got "bare"/],
    ['source=s 1 2', /missing metric name/],
    ['m 1 source=s k="a"b', /unexpected "b"/],
  ])('refuses %j', (line, message) => {
    expect(() => parseWavefrontLine(line, NOW)).toThrow(message);
  });
});
