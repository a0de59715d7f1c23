import type { DetectorSnapshot, StateValue } from './types.js';

/*
 * Snapshots are plain JSON, except that detector state legitimately holds NaN and ±Infinity
 * (e.g. "no band yet"), which JSON cannot represent. They are tagged as strings on the way out.
 */
const TAG = '\u0000num:';

function encode(v: StateValue): StateValue {
  if (typeof v === 'number') return Number.isFinite(v) ? v : `${TAG}${String(v)}`;
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === 'object') {
    const out: { [key: string]: StateValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = encode(x);
    return out;
  }
  return v;
}

function decode(v: unknown): StateValue {
  if (typeof v === 'string' && v.startsWith(TAG)) return Number(v.slice(TAG.length));
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const out: { [key: string]: StateValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = decode(x);
    return out;
  }
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  throw new TypeError(`not a state value: ${typeof v}`);
}

export function serializeSnapshot(snapshot: DetectorSnapshot): string {
  return JSON.stringify(encode(snapshot as unknown as StateValue));
}

export function parseSnapshot(text: string): DetectorSnapshot {
  const v = decode(JSON.parse(text) as unknown);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError('snapshot is not an object');
  const { kind, config, state } = v;
  if (typeof kind !== 'string' || !isRecord(config) || !isRecord(state)) throw new TypeError('malformed snapshot');
  return { kind, config, state };
}

function isRecord(v: StateValue | undefined): v is { [key: string]: StateValue } {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** Typed readers for restoring state: fail loudly on a malformed snapshot rather than mis-score. */
export function num(s: { [key: string]: StateValue }, key: string): number {
  const v = s[key];
  if (typeof v !== 'number') throw new TypeError(`state.${key} is not a number`);
  return v;
}

export function nums(s: { [key: string]: StateValue }, key: string): number[] {
  const v = s[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new TypeError(`state.${key} is not a number[]`);
  return v as number[];
}

export function obj(s: { [key: string]: StateValue }, key: string): { [key: string]: StateValue } {
  const v = s[key];
  if (!isRecord(v)) throw new TypeError(`state.${key} is not an object`);
  return v;
}
