/** snappyjs ships no types: the two functions Vigil uses (block format, as Prometheus and Loki send). */
declare module 'snappyjs' {
  /** Throws when the stream is invalid or claims more than maxLength bytes (checked before allocating). */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
}
