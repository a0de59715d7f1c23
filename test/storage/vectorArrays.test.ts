import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBVector } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigUint64Column, float64Column, int32Column } from '../../storage/duckdb/index.js';

/**
 * Reading a result column as a typed array: the fast path borrows @duckdb/node-api's private
 * array, the fallback reads item by item. Both must give the same numbers, so a package version
 * that stores its vectors differently only costs speed.
 */
describe('DuckDB column vectors as typed arrays', () => {
  let instance: DuckDBInstance;
  let columns: { doubles: DuckDBVector; ints: DuckDBVector; ids: DuckDBVector; rows: number };
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const result = await conn.stream('SELECT (i * 0.5 - 7)::DOUBLE AS d, (i - 1000)::INTEGER AS n, (18446744073709551615 - i)::UBIGINT AS id FROM range(3000) t(i)');
    const chunk = await result.fetchChunk();
    if (chunk === null) throw new Error('no chunk');
    columns = { doubles: chunk.getColumnVector(0), ints: chunk.getColumnVector(1), ids: chunk.getColumnVector(2), rows: chunk.rowCount };
  });
  afterAll(() => instance?.closeSync());

  /** The same vector with its private array hidden, as a different package version might have it. */
  const withoutItems = (v: DuckDBVector): DuckDBVector =>
    new Proxy(v, {
      get: (target, key) => {
        if (key === 'items') return undefined;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });

  it('doubles: the fast path and the item-by-item fallback agree', () => {
    const fast = float64Column(columns.doubles, columns.rows);
    const slow = float64Column(withoutItems(columns.doubles), columns.rows);
    expect(columns.rows).toBeGreaterThan(1000);
    expect(Array.from(slow)).toEqual(Array.from(fast.subarray(0, columns.rows)));
    expect(slow[3]).toBe(-5.5);
  });

  it('integers: the fast path and the item-by-item fallback agree', () => {
    const fast = int32Column(columns.ints, columns.rows);
    const slow = int32Column(withoutItems(columns.ints), columns.rows);
    expect(Array.from(slow)).toEqual(Array.from(fast.subarray(0, columns.rows)));
    expect(slow[0]).toBe(-1000);
  });

  it('unsigned 64-bit ids: the fast path and the item-by-item fallback agree, all 64 bits kept', () => {
    const fast = bigUint64Column(columns.ids, columns.rows);
    const slow = bigUint64Column(withoutItems(columns.ids), columns.rows);
    expect(Array.from(slow)).toEqual(Array.from(fast.subarray(0, columns.rows)));
    expect(slow[0]).toBe(18446744073709551615n);
    expect(slow[2]).toBe(18446744073709551613n);
  });
});
