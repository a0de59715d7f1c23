import { appendFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consume, makeTempDir, openBus, payload, text } from './busHarness.js';

const FRAME = 26 + 1 + 100; // frame overhead + 1-byte key + 100-byte value
const value = (i: number): Uint8Array => payload(`r${i}`.padEnd(100, '#'));

/** Damage done to the last segment file while the bus is closed, and what must survive it. */
const damages: { name: string; damage: (file: string) => void; survivors: number }[] = [
  { name: 'cut in the middle of the last value', damage: (f) => truncateSync(f, statSync(f).size - 50), survivors: 4 },
  { name: 'cut inside the last length prefix', damage: (f) => truncateSync(f, statSync(f).size - FRAME + 3), survivors: 4 },
  { name: 'cut exactly at a frame boundary', damage: (f) => truncateSync(f, statSync(f).size - FRAME), survivors: 4 },
  { name: 'random garbage after the last frame', damage: (f) => appendFileSync(f, Buffer.from('not a frame: garbage garbage garbage')), survivors: 5 },
  { name: 'a zero-filled tail (file extended but data never written)', damage: (f) => appendFileSync(f, Buffer.alloc(4096)), survivors: 5 },
  {
    name: 'a flipped byte in the last value (checksum mismatch)',
    damage: (f) => {
      const bytes = readFileSync(f);
      bytes[bytes.length - 10] ^= 0xff;
      writeFileSync(f, bytes);
    },
    survivors: 4,
  },
  {
    name: 'a valid frame repeated after the end (offset out of sequence)',
    damage: (f) => appendFileSync(f, readFileSync(f).subarray(0, FRAME)),
    survivors: 5,
  },
];

describe('embedded bus: recovery of a torn tail', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => cleanup());

  it.each(damages)('keeps the intact records and drops the rest after $name', async ({ damage, survivors }) => {
    const first = await openBus(dir);
    for (let i = 0; i < 5; i++) await first.bus.producer().send('t', [{ key: 'k', value: value(i) }]);
    await first.bus.shutdown();
    const file = join(dir, 'topics', 't', '0', `${'0'.padStart(20, '0')}.log`);
    expect(statSync(file).size).toBe(5 * FRAME);

    damage(file);

    const second = await openBus(dir);
    expect(statSync(file).size).toBe(survivors * FRAME); // the tail is cut off on disk, not just skipped
    expect((await second.bus.stats())[0]?.endOffset).toBe(BigInt(survivors));
    await second.bus.producer().send('t', [{ key: 'k', value: value(99) }]);
    const records = (await consume(second.bus, { group: 'g', topics: ['t'] }, survivors + 1)).flatMap((b) => b.records);
    expect(records.map((r) => Number(r.offset))).toEqual(Array.from({ length: survivors + 1 }, (_, i) => i));
    expect(records.map((r) => text(r.value).replace(/#+$/, ''))).toEqual([...Array.from({ length: survivors }, (_, i) => `r${i}`), 'r99']);
    await second.bus.shutdown();
  });

  const badIndexes = [
    { name: 'missing', write: (f: string) => rmSync(f) },
    { name: 'garbage', write: (f: string) => writeFileSync(f, Buffer.from('nonsense')) },
    { name: 'cut short', write: (f: string) => truncateSync(f, 5) },
  ];
  it.each(badIndexes)('rebuilds a sealed segment index that is $name by scanning the segment', async ({ write }) => {
    // 1 KiB segments hold 8 frames: segments start at 0, 8 and 16.
    const first = await openBus(dir, { segmentBytes: 1024, indexIntervalBytes: 64 });
    for (let i = 0; i < 20; i++) await first.bus.producer().send('t', [{ key: 'k', value: value(i) }]);
    await first.bus.shutdown();
    const index = join(dir, 'topics', 't', '0', `${'8'.padStart(20, '0')}.idx`);
    const good = readFileSync(index);
    write(index);
    const second = await openBus(dir, { segmentBytes: 1024, indexIntervalBytes: 64 });
    expect(readFileSync(index)).toEqual(good);
    const records = (await consume(second.bus, { group: 'g', topics: ['t'], startOffsets: new Map([['t/0', 11n]]) }, 9)).flatMap((b) => b.records);
    expect(records.map((r) => text(r.value).replace(/#+$/, ''))).toEqual(Array.from({ length: 9 }, (_, i) => `r${11 + i}`));
    await second.bus.shutdown();
  });
});
