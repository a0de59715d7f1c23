import { describe, expect, it } from 'vitest';
import { createDetector, detectorNames, parseSnapshot, restoreDetector, serializeSnapshot } from '../../alerting/anomaly/index.js';
import { STEP_MS, gaussian, rng } from './synthetic.js';

/** A daily-cycle series with gaps, NaNs, an Infinity and a spike: every code path gets state. */
function series(n: number): { t: number[]; v: number[] } {
  const g = gaussian(rng(11));
  const t: number[] = [];
  const v: number[] = [];
  let ts = 0;
  for (let i = 0; i < n; i++) {
    ts += i % 397 === 0 ? 5 * STEP_MS : STEP_MS; // occasional gaps of four slots
    t.push(ts);
    let x = 50 + 8 * Math.sin((2 * Math.PI * i) / 288) + g();
    if (i % 211 === 0) x = Number.NaN;
    if (i === 1500) x = Number.POSITIVE_INFINITY;
    if (i === 1700) x += 40;
    v.push(x);
  }
  return { t, v };
}

describe('state round-trips through serialisation', () => {
  const { t, v } = series(2600);
  it.each([...detectorNames])('%s: a restored detector scores the rest of the series identically', (name) => {
    const original = createDetector(name);
    const cut = 1300;
    for (let i = 0; i < cut; i++) original.update(t[i] as number, v[i] as number);
    const text = serializeSnapshot(original.snapshot());
    const restored = restoreDetector(parseSnapshot(text));
    for (let i = cut; i < t.length; i++) {
      const a = original.update(t[i] as number, v[i] as number);
      const b = restored.update(t[i] as number, v[i] as number);
      expect(b, `point ${i}`).toEqual(a);
    }
    // And the two end in the same state.
    expect(serializeSnapshot(restored.snapshot())).toBe(serializeSnapshot(original.snapshot()));
  });

  it('a snapshot taken when v1 was the default (kind "vigil", v1 state) resumes as vigil-nab', () => {
    const original = createDetector('vigil-nab');
    for (let i = 0; i < 1300; i++) original.update(t[i] as number, v[i] as number);
    const old = { ...original.snapshot(), kind: 'vigil' };
    const restored = restoreDetector(parseSnapshot(serializeSnapshot(old)));
    expect(restored.kind).toBe('vigil-nab');
    for (let i = 1300; i < 1600; i++) expect(restored.update(t[i] as number, v[i] as number)).toEqual(original.update(t[i] as number, v[i] as number));
  });

  it('keeps NaN and Infinity in state through JSON', () => {
    const snap = { kind: 'x', config: {}, state: { a: Number.NaN, b: [Number.POSITIVE_INFINITY, 1], c: { d: Number.NEGATIVE_INFINITY } } };
    expect(parseSnapshot(serializeSnapshot(snap))).toEqual(snap);
  });

  it('rejects a malformed snapshot', () => {
    expect(() => parseSnapshot('{"kind":"vigil"}')).toThrow(TypeError);
    expect(() => restoreDetector({ kind: 'nope', config: {}, state: { core: {} } })).toThrow(RangeError);
  });

  it('bounds memory: the snapshot does not grow with the series', () => {
    for (const name of detectorNames) {
      const d = createDetector(name);
      const { t: ts, v: vs } = series(12_000);
      for (let i = 0; i < 6000; i++) d.update(ts[i] as number, vs[i] as number);
      const mid = serializeSnapshot(d.snapshot()).length;
      for (let i = 6000; i < 12_000; i++) d.update(ts[i] as number, vs[i] as number);
      // Same number of slots; only digit counts may differ.
      expect(serializeSnapshot(d.snapshot()).length / mid, name).toBeLessThan(1.2);
    }
  });
});
