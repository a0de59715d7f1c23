import { describe, expect, it } from 'vitest';
import type { BusPayload } from '../../ingest/index.js';
import { decodePayload, encodePayload } from '../../ingest/index.js';
import { isStaleNaN, STALE_NAN } from '../../core/index.js';

describe('bus payload codec', () => {
  const cases: { name: string; payload: BusPayload }[] = [
    {
      name: 'metrics with special values',
      payload: {
        kind: 'metrics',
        tenant: 't1',
        series: [
          { labels: { __name__: 'a', x: '1' }, samples: [{ t: 1, v: 1.5 }, { t: 2, v: Number.POSITIVE_INFINITY }, { t: 3, v: -0 }] },
          { labels: { __name__: 'b' }, samples: [] },
          { labels: { __name__: 'c' }, samples: [{ t: 1_800_000_000_000, v: Number.MAX_VALUE }] },
        ],
        metadata: [{ metricFamilyName: 'a', type: 'gauge', unit: '', help: 'h' }],
      },
    },
    {
      name: 'logs with nanosecond timestamps beyond 2^53',
      payload: {
        kind: 'logs',
        tenant: 'default',
        logs: [{ timeNs: 1_795_782_467_137_000_123n, observedTimeNs: 1_795_782_467_137_000_456n, severityNumber: 9, severityText: 'INFO', body: 'hello', stream: { job: 'a' }, attributes: { k: [1, 'two', { three: null }] }, resource: {}, traceId: '', spanId: '' }],
      },
    },
  ];
  it.each(cases)('round-trips $name', ({ payload }) => {
    expect(decodePayload(encodePayload(payload))).toEqual(payload);
  });

  it('keeps the staleness marker (a NaN payload) intact', () => {
    const decoded = decodePayload(encodePayload({ kind: 'metrics', tenant: 'd', series: [{ labels: { __name__: 's' }, samples: [{ t: 1, v: STALE_NAN }, { t: 2, v: Number.NaN }] }], metadata: [] }));
    if (decoded.kind !== 'metrics') throw new Error('kind changed');
    const [stale, plain] = decoded.series[0]?.samples ?? [];
    expect(isStaleNaN(stale?.v ?? 0)).toBe(true);
    expect(Number.isNaN(plain?.v)).toBe(true);
    expect(isStaleNaN(plain?.v ?? 0)).toBe(false);
  });

  it.each([
    ['empty', new Uint8Array([])],
    ['unknown format byte', new Uint8Array([9, 1, 2])],
    ['garbage after the format byte', new Uint8Array([1, 0xff, 0x13, 0x00, 0x42])],
  ])('rejects %s with a bad_data error', (_name, bytes) => {
    expect(() => decodePayload(bytes)).toThrow(/bus record/);
  });
});
