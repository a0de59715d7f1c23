import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { isVigilError } from '../../core/index.js';
import { snappyUncompress } from '../../ingest/index.js';
import { prng, Rng } from './fuzzInputs.js';

function refusal(input: Buffer, max = 1 << 20): { code: string; message: string } | undefined {
  try {
    snappyUncompress(input, max);
    return undefined;
  } catch (err) {
    if (!isVigilError(err)) throw err;
    return { code: err.code, message: err.message };
  }
}

describe('snappyUncompress (snappy block format)', () => {
  it('decodes what snappyjs compresses: random, repetitive and empty data of many sizes', () => {
    const rng = new Rng(prng(0x5a_77));
    for (let n = 0; n < 500; n++) {
      const size = rng.pick([0, 1, 59, 60, 61, 255, 256, 257, 65_536, 70_000, rng.int(5000)]);
      const data = rng.chance(0.5) ? rng.bytes(size) : Buffer.from('abcabcabcXYZ'.repeat(Math.ceil(size / 12)).slice(0, size));
      const compressed = Buffer.from(snappy.compress(new Uint8Array(data)));
      expect(snappyUncompress(compressed, 1 << 20).equals(data), `size ${size}`).toBe(true);
    }
  });

  it.each([
    // snappyjs 0.7 loops forever on this (a 4-byte literal length with its top bit set): found by the receivers' fuzzer.
    ['a literal length with the top bit set', '515b70de048dfcf366e0d42d4db1e3943e', /malformed snappy body/],
    ['no length', '', /bad uncompressed length/],
    ['a length varint that never ends', 'ffffffffffff', /bad uncompressed length/],
    ['a literal running past the end', '0a2461', /literal of 10 bytes runs past the end/],
    ['a literal longer than claimed', '0208616263', /data runs past the 2 bytes claimed/],
    ['a copy before any data', '0a0501', /copy offset 1 points before the start/],
    ['a copy with offset 0', '0800610100', /copy offset 0/],
    ['fewer bytes than claimed', '050061', /1 bytes decoded, 5 claimed/],
    ['a copy cut short', '080061' + '02', /copy cut short/],
  ])('refuses %s', (_name, hex, message) => {
    expect(refusal(Buffer.from(hex, 'hex'))).toEqual({ code: 'bad_data', message: expect.stringMatching(message) as unknown as string });
  });

  it('refuses a claimed length over the limit before allocating it', () => {
    expect(refusal(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00]), 16 << 20)?.code).toBe('payload_too_large');
  });
});
