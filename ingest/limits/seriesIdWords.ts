import type { SampleColumns } from '../../core/index.js';
import { labelPairLanes, seriesIdWords } from '../../core/index.js';

/**
 * The series id (core/labels.ts seriesId) of every series in `cols`, as Uint32 words: high word
 * at 2i, low word at 2i + 1. Each distinct label pair is hashed once, as the store writer does;
 * no bigint is allocated, so this is cheap enough to run on every write in the decode workers,
 * and the result is a typed array that crosses the worker boundary as raw bytes.
 */
export function seriesIdWordsOf(cols: SampleColumns): Uint32Array {
  const { symbols, pairs, seriesPairs, pairCounts } = cols;
  const lanes = new Int32Array(pairs.length);
  for (let p = 0; p < pairs.length; p += 2) labelPairLanes(symbols[pairs[p] as number] as string, symbols[pairs[p + 1] as number] as string, lanes, p);
  const n = pairCounts.length;
  const out = new Uint32Array(n * 2);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const count = pairCounts[i] as number;
    let sum1 = 0;
    let sum2 = 0;
    for (const end = j + count; j < end; j++) {
      const at = (seriesPairs[j] as number) * 2;
      sum1 = (sum1 + (lanes[at] as number)) | 0;
      sum2 = (sum2 + (lanes[at + 1] as number)) | 0;
    }
    seriesIdWords(sum1, sum2, count, out, i * 2);
  }
  return out;
}
