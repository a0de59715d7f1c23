import { compress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { SnappyError, uncompressSnappyBlock } from '../../ingest/index.js';
import { prng, Rng } from './fuzzInputs.js';

/**
 * The snappy block decoder: whatever snappyjs (the reference compressor) produces decompresses
 * to the original, and every malformed stream is a SnappyError naming the problem — including
 * the 16-byte body on which snappyjs' own decompressor never returns.
 */
const ref = (bytes: Uint8Array): Uint8Array => compress(new Uint8Array(bytes));

describe('snappy block format: round trips with snappyjs', () => {
  const rng = new Rng(prng(0x5a));
  const inputs: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['one byte', Buffer.from([7])],
    ['a long run (overlapping copies)', Buffer.alloc(100_000, 0x61)],
    ['text with repeats (copies of every width)', Buffer.from('remote_write{job="node",instance="a:9100"} '.repeat(5000))],
    ['random bytes (long literals)', rng.bytes(200_000)],
    ['repeats 70 kB apart (4-byte offsets are not needed below 64 kB, 2-byte ones are)', Buffer.concat([rng.bytes(70_000), rng.bytes(10).fill(1), rng.bytes(70_000)])],
  ];
  it.each(inputs)('%s', (_name, input) => {
    expect(Buffer.compare(uncompressSnappyBlock(ref(input), input.length), input)).toBe(0);
  });
});

interface BadStream {
  readonly name: string;
  readonly bytes: number[];
  readonly max?: number;
  readonly error: string;
  readonly tooLarge?: boolean;
}

const bad: readonly BadStream[] = [
  { name: 'nothing at all', bytes: [], error: 'truncated length preamble' },
  { name: 'a preamble over the limit, before any allocation', bytes: [0xff, 0xff, 0xff, 0xff, 0x0f], max: 1024, error: 'declares 4294967295 uncompressed bytes, more than the limit of 1024', tooLarge: true },
  { name: 'a preamble of six bytes', bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], error: 'length preamble longer than 5 bytes' },
  { name: "snappyjs' endless loop: a literal length with its top bit set", bytes: [10, 0xfc, 0xf0, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], error: 'literal of 4294967281 bytes runs past the end of the input' },
  { name: 'a literal longer than the input', bytes: [5, 0x10, 1, 2], error: 'literal of 5 bytes runs past the end of the input' },
  { name: 'a literal longer than declared', bytes: [1, 0x04, 1, 2], error: 'literal of 2 bytes runs past the declared length 1' },
  { name: 'a copy before any output', bytes: [4, 0x01, 0x01], error: 'copy offset 1 at output byte 0 points outside the output' },
  { name: 'a copy with offset 0', bytes: [8, 0x00, 0x61, 0x01, 0x00], error: 'copy offset 0 at output byte 1 points outside the output' },
  { name: 'a copy past the declared length', bytes: [3, 0x00, 0x61, 0x01, 0x01], error: 'copy of 4 bytes runs past the declared length 3' },
  { name: 'a truncated 4-byte copy', bytes: [8, 0x00, 0x61, 0x03, 0x01], error: 'truncated copy' },
  { name: 'less output than declared', bytes: [9, 0x04, 0x61, 0x62], error: '2 bytes decompressed, the preamble declared 9' },
];

describe('snappy block format: malformed streams', () => {
  it.each(bad)('$name', (c) => {
    let thrown: unknown;
    try {
      uncompressSnappyBlock(new Uint8Array(c.bytes), c.max ?? 1 << 20);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SnappyError);
    expect((thrown as SnappyError).message).toBe(c.error);
    expect((thrown as SnappyError).tooLarge).toBe(c.tooLarge ?? false);
  });
});
