import { describe, expect, it } from 'vitest';
import { detectPeriod, fft } from '../../alerting/anomaly/index.js';
import { gaussian, rng } from './synthetic.js';

const g = gaussian(rng(5));
const noise = (n: number, sd: number): number[] => Array.from({ length: n }, () => sd * g());

describe('period detection', () => {
  it.each([
    { name: 'daily cycle at 5-minute resolution, 3 days', values: noise(864, 1).map((x, i) => x + 10 * Math.sin((2 * Math.PI * i) / 288)), period: 288 },
    { name: 'weekly cycle at hourly resolution (weekend dip), 4 weeks', values: noise(672, 1).map((x, i) => x + (i % 168 >= 120 ? -8 : 0)), period: 168 },
    { name: 'daily + weekly at hourly resolution: the day is the shortest strong cycle', values: noise(672, 1).map((x, i) => x + 10 * Math.sin((2 * Math.PI * i) / 24) + (i % 168 >= 120 ? -3 : 0)), period: 24 },
    { name: 'square wave of period 50', values: noise(400, 0.1).map((x, i) => x + (i % 50 < 25 ? 1 : 0)), period: 50 },
    { name: 'white noise', values: noise(1024, 1), period: 0 },
    { name: 'a constant', values: new Array<number>(500).fill(3), period: 0 },
    { name: 'a cycle seen less than twice', values: noise(400, 0.1).map((x, i) => x + Math.sin((2 * Math.PI * i) / 288)), period: 0 },
  ])('$name → $period', ({ values, period }) => {
    expect(detectPeriod(values)).toBe(period);
  });
});

describe('fft', () => {
  it('round-trips and matches a hand-computed transform', () => {
    const re = new Float64Array([1, 2, 3, 4]);
    const im = new Float64Array(4);
    fft(re, im);
    // X = [10, −2+2i, −2, −2−2i]
    expect(Array.from(re).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([10, -2, -2, -2]);
    expect(Array.from(im).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0, 2, 0, -2]);
    fft(re, im, true);
    expect(Array.from(re).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 2, 3, 4]);
  });

  it('rejects lengths that are not powers of two', () => {
    expect(() => fft(new Float64Array(3), new Float64Array(3))).toThrow(RangeError);
  });
});
