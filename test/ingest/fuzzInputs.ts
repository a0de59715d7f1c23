import { gzipSync } from 'node:zlib';
import { kvlistChain, LOGS_TO_BODY, METRICS_TO_ATTRIBUTE_VALUE, nested, varint } from './protobufBytes.js';
import { prng } from '../support/prng.js';

/**
 * Random and mutated OTLP inputs for the fuzz tests, from a seeded PRNG so that a failure
 * reproduces from its seed and iteration.
 */

export { prng };

export class Rng {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

export interface FuzzInput {
  readonly kind: string;
  readonly body: Buffer;
  readonly contentEncoding?: string;
}

/** A length that claims far more bytes than follow: the classic protobuf over-read. */
function hugeVarintField(rng: Rng): Buffer {
  const field = 1 + rng.int(15);
  const length = rng.pick([0x7fffffff, 0xffffffff, 2 ** 40, 2 ** 53 - 1, 1 << 24]);
  return Buffer.from([...varint((field << 3) | 2), ...varint(length)]);
}

const deepBodies = new Map<string, Buffer>();

/** A request whose one AnyValue (an attribute value, a log body) nests `depth` kvlists; built once per depth. */
function deepKvlists(signal: 'metrics' | 'logs', depth: number): Buffer {
  const key = `${signal} ${depth}`;
  let body = deepBodies.get(key);
  if (body === undefined) {
    body = nested([...(signal === 'metrics' ? METRICS_TO_ATTRIBUTE_VALUE : LOGS_TO_BODY), ...kvlistChain(depth)], Buffer.from([0x0a, 0x01, 0x78]));
    deepBodies.set(key, body);
  }
  return body;
}

/** Mutates a valid protobuf body (or makes one up). */
export function mutateProtobuf(rng: Rng, corpus: readonly Buffer[], signal: 'metrics' | 'logs'): FuzzInput {
  const base = Buffer.from(rng.pick(corpus));
  const op = rng.int(12);
  switch (op) {
    case 0: {
      for (let n = 1 + rng.int(8); n > 0 && base.length > 0; n--) base[rng.int(base.length)] ^= 1 << rng.int(8);
      return { kind: 'bit flips', body: base };
    }
    case 1:
      return { kind: 'truncated', body: base.subarray(0, rng.int(base.length + 1)) };
    case 2: {
      const at = rng.int(base.length + 1);
      return { kind: 'huge varint length', body: Buffer.concat([base.subarray(0, at), hugeVarintField(rng), base.subarray(at)]) };
    }
    case 3:
      return { kind: 'random bytes', body: rng.bytes(rng.int(512)) };
    case 4: {
      const at = rng.int(base.length + 1);
      return { kind: 'inserted bytes', body: Buffer.concat([base.subarray(0, at), rng.bytes(1 + rng.int(16)), base.subarray(at)]) };
    }
    case 5: {
      const at = rng.int(base.length + 1);
      return { kind: 'deleted bytes', body: Buffer.concat([base.subarray(0, at), base.subarray(Math.min(base.length, at + 1 + rng.int(16)))]) };
    }
    case 6: {
      const other = rng.pick(corpus);
      const a = rng.int(base.length + 1);
      const b = rng.int(other.length + 1);
      return { kind: 'spliced', body: Buffer.concat([base.subarray(0, a), other.subarray(b)]) };
    }
    case 7: {
      const depth = rng.pick([10, 31, 32, 33, 100, 5000]);
      return { kind: `kvlists ${depth} deep`, body: deepKvlists(signal, depth) };
    }
    case 8:
      return { kind: 'nested groups', body: Buffer.alloc(1 + rng.int(100_000), rng.pick([0x0b, 0x13, 0x0a])) };
    case 9: {
      // Overwrite a byte with a wire type that does not exist (6, 7) or an end-group.
      if (base.length > 0) base[rng.int(base.length)] = (rng.int(16) << 3) | rng.pick([4, 6, 7]);
      return { kind: 'bad wire type', body: base };
    }
    case 10:
      // Gzip is slow to decode (the thread pool): half of these are plain mutations instead.
      if (rng.chance(0.5)) return { kind: 'truncated', body: base.subarray(0, rng.int(base.length + 1)) };
      return { kind: 'gzip of valid', body: gzipSync(base), contentEncoding: 'gzip' };
    default: {
      if (rng.chance(0.5)) return { kind: 'random bytes', body: rng.bytes(rng.int(64)) };
      const gz = gzipSync(base);
      for (let n = 1 + rng.int(4); n > 0; n--) gz[rng.int(gz.length)] ^= 1 << rng.int(8);
      return { kind: 'corrupt gzip', body: gz, contentEncoding: 'gzip' };
    }
  }
}

const WEIRD_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 64,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'NaN',
  'Infinity',
  '-Infinity',
  '99999999999999999999999',
  '18446744073709551616',
  '-5',
  '1e999',
  'abc',
  '\u0000',
  'é'.repeat(50),
  [],
  [1, 'a', null],
  {},
  { stringValue: 1 },
  { intValue: '1e3' },
  { doubleValue: 'x' },
  { arrayValue: { values: 'x' } },
  { kvlistValue: { values: [{ key: 1 }] } },
  { bytesValue: 5 },
];

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every container in a JSON value with its keys, for picking a place to mutate. */
function containers(root: Json): Array<Json[] | { [k: string]: Json }> {
  const out: Array<Json[] | { [k: string]: Json }> = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Json;
    if (v !== null && typeof v === 'object') {
      out.push(v);
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
    }
  }
  return out;
}

function weird(rng: Rng): Json {
  if (rng.chance(0.1)) return nestedArrays(1 + rng.int(200));
  return structuredClone(rng.pick(WEIRD_VALUES)) as Json;
}

/** Mutates a valid OTLP JSON request, structurally or as text. */
export function mutateJson(rng: Rng, corpus: readonly Json[]): FuzzInput {
  const op = rng.int(8);
  if (op <= 3) {
    const doc = structuredClone(rng.pick(corpus));
    for (let n = 1 + rng.int(3); n > 0; n--) {
      const target = rng.pick(containers(doc));
      if (Array.isArray(target)) {
        if (target.length === 0 || rng.chance(0.3)) target.push(weird(rng));
        else target[rng.int(target.length)] = weird(rng);
      } else {
        const keys = Object.keys(target);
        if (keys.length === 0 || rng.chance(0.2)) target[rng.pick(['x', 'asInt', 'timeUnixNano', 'kvlistValue', 'arrayValue', '__proto__', 'constructor'])] = weird(rng);
        else if (rng.chance(0.2)) delete target[rng.pick(keys)];
        else target[rng.pick(keys)] = weird(rng);
      }
    }
    return { kind: 'structural', body: Buffer.from(JSON.stringify(doc)) };
  }
  const text = JSON.stringify(rng.pick(corpus));
  switch (op) {
    case 4:
      return { kind: 'truncated text', body: Buffer.from(text.slice(0, rng.int(text.length + 1))) };
    case 5: {
      const chars = [...text];
      for (let n = 1 + rng.int(6); n > 0; n--) chars[rng.int(chars.length)] = rng.pick(['{', '}', '[', ']', '"', ',', ':', '\\', '0', 'e', '-', ' ', '\u00ff']);
      return { kind: 'flipped characters', body: Buffer.from(chars.join('')) };
    }
    case 6: {
      const depth = rng.pick([63, 64, 65, 1000, 100_000]);
      const at = text.indexOf('"attributes":[') + '"attributes":['.length;
      const inner = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(Math.ceil(depth / 4)) + '{"stringValue":"x"}' + '}]}}'.repeat(Math.ceil(depth / 4));
      const body = at > 20 ? `${text.slice(0, at)}{"key":"deep","value":${inner}},${text.slice(at)}` : '['.repeat(depth) + ']'.repeat(depth);
      return { kind: `nesting ~${depth}`, body: Buffer.from(body) };
    }
    default:
      return { kind: 'random text', body: rngText(rng) };
  }
}

function rngText(rng: Rng): Buffer {
  const alphabet = '{}[]":,0123456789.eE-+ tfrueanlsx\\';
  let s = '';
  for (let n = rng.int(300); n > 0; n--) s += alphabet[rng.int(alphabet.length)];
  return Buffer.from(s);
}

function nestedArrays(depth: number): Json {
  let v: Json = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}
