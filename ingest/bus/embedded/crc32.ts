import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE) of `data`, continuing from `previous` so a record can be checksummed in parts
 * without concatenating them. Uses zlib's native implementation where Node has it (20.15+),
 * a table-driven fallback elsewhere (engines allows 20.6).
 */
export type Crc32 = (data: Uint8Array, previous?: number) => number;

const nativeCrc32 = (zlib as { crc32?: Crc32 }).crc32;

const table = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function tableCrc32(data: Uint8Array, previous = 0): number {
  let crc = ~previous;
  for (let i = 0; i < data.length; i++) crc = (table[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

export const crc32: Crc32 = nativeCrc32 ?? tableCrc32;
