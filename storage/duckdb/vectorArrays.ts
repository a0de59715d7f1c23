import type { DuckDBVector } from '@duckdb/node-api';
import { DuckDBDoubleVector, DuckDBIntegerVector, DuckDBUBigIntVector } from '@duckdb/node-api';

/**
 * A DOUBLE or INTEGER column of one result chunk as a typed array, for columns that are never
 * NULL (the validity mask is not consulted).
 *
 * @duckdb/node-api keeps each numeric vector's data as a typed array over DuckDB's own memory,
 * but exposes it only item by item: getItem checks the validity mask with BigInt arithmetic on
 * every call, which made reading 5.76M samples take ~1.3 s of the 1.8 s a read took. So the
 * array itself is taken when it is there (a view, valid until the next chunk is fetched: copy
 * out of it at once), and read item by item otherwise, e.g. should a later version of the
 * package store it differently.
 */
export function float64Column(vector: DuckDBVector, rows: number): Float64Array {
  return typedColumn(vector, rows, DuckDBDoubleVector, Float64Array);
}

export function int32Column(vector: DuckDBVector, rows: number): Int32Array {
  return typedColumn(vector, rows, DuckDBIntegerVector, Int32Array);
}

export function bigUint64Column(vector: DuckDBVector, rows: number): BigUint64Array {
  return typedColumn(vector, rows, DuckDBUBigIntVector, BigUint64Array);
}

type TypedArrayOf<T> = { [i: number]: T; readonly length: number };

/** The vector's own array when it is of `vectorClass` and holds one (see above), else a copy read item by item. */
function typedColumn<T, A extends TypedArrayOf<T>>(vector: DuckDBVector, rows: number, vectorClass: abstract new (...args: never[]) => DuckDBVector, arrayClass: new (n: number) => A): A {
  if (vector instanceof vectorClass) {
    const items = internalItems(vector);
    if (items instanceof arrayClass && items.length >= rows) return items;
  }
  const out = new arrayClass(rows);
  for (let i = 0; i < rows; i++) out[i] = vector.getItem(i) as T;
  return out;
}

/** The vector's private `items` field (see above), or undefined. */
function internalItems(vector: DuckDBVector): unknown {
  return (vector as unknown as { readonly items?: unknown }).items;
}
