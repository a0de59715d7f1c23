import { VigilError } from '../../core/index.js';

/** Checking query arguments and turning DuckDB's errors into Vigil's. */

export function checkLimit(limit: number | undefined, what: string): void {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) throw new VigilError('bad_data', `${what} limit ${String(limit)} is not a non-negative integer`);
}

/** Tries per query when retention keeps dropping partitions under it. */
export const MAX_ATTEMPTS = 3;

export function isDroppedPartition(err: unknown): boolean {
  return err instanceof Error && /Catalog Error: Table with name (samples|logs)_p\S+ does not exist/.test(err.message);
}

/** DuckDB rejects bad regular expressions at bind time; those are the caller's mistake. */
export function asQueryError(err: unknown): unknown {
  if (err instanceof VigilError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith('Invalid Input Error')) return new VigilError('bad_data', `invalid query input: ${message.replace(/^Invalid Input Error: /, '')}`, { cause: err });
  return err;
}
