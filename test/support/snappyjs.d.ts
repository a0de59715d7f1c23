/**
 * snappyjs 0.7 ships no types: the two functions the tests and benches use (block format, not the
 * framing format). Vigil itself decompresses with ingest/codec/snappyBlock.ts (see why there).
 */
declare module 'snappyjs' {
  /** Throws for a bitstream that is not snappy, or one that declares more than `maxLength` bytes. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
}
