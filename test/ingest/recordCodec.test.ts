import { serialize } from 'node:v8';
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

  it('reads metrics records written in the v1 layout (one label object per series)', () => {
    // As versions before the symbol table wrote them: format byte 1, then V8's serialization.
    const v1 = { kind: 'metrics', tenant: 'old', labels: [{ __name__: 'a', x: '1' }, { __name__: 'b' }], counts: Uint32Array.from([2, 1]), t: Float64Array.from([1, 2, 3]), v: Float64Array.from([10, 20, STALE_NAN]), metadata: [] };
    const bytes = Buffer.concat([Buffer.from([1]), serialize(v1)]);
    const decoded = decodePayload(bytes);
    expect(decoded).toEqual({
      kind: 'metrics',
      tenant: 'old',
      series: [
        { labels: { __name__: 'a', x: '1' }, samples: [{ t: 1, v: 10 }, { t: 2, v: 20 }] },
        { labels: { __name__: 'b' }, samples: [{ t: 3, v: Number.NaN }] },
      ],
      metadata: [],
    });
    if (decoded.kind === 'metrics') expect(isStaleNaN(decoded.series[1]?.samples[0]?.v ?? 0)).toBe(true);
  });

  it.each([
    ['empty', new Uint8Array([])],
    ['unknown format byte', new Uint8Array([9, 1, 2])],
    ['garbage after the format byte', new Uint8Array([2, 0xff, 0x13, 0x00, 0x42])],
    ['metrics whose columns are not typed arrays', Buffer.concat([Buffer.from([2]), serialize({ kind: 'metrics', tenant: 'x', symbols: [], pairs: [], seriesPairs: [], pairCounts: [], counts: [], t: [], v: [], metadata: [] })])],
    ['v1 metrics without labels', Buffer.concat([Buffer.from([1]), serialize({ kind: 'metrics', tenant: 'x', counts: new Uint32Array(1), t: new Float64Array(0), v: new Float64Array(0), metadata: [] })])],
  ])('rejects %s with a bad_data error', (_name, bytes) => {
    expect(() => decodePayload(bytes)).toThrow(/bus (metrics )?record/);
  });
});
