import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The round-trip corpus (data/promql_corpus.txt): queries covering every construct and function of PromQL 2.42. */
export const corpus: readonly string[] = readFileSync(join(import.meta.dirname, 'data', 'promql_corpus.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
