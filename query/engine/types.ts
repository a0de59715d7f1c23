import type { Labels } from '../../core/index.js';
import type { Querier, QuerierOptions, Store } from '../../storage/index.js';

/**
 * Where a query reads from: a querier per time range, already bound to one tenant. The engine
 * receives one with every query (never in its constructor), so one engine serves every tenant
 * and every store.
 */
export interface Queryable {
  /** A querier over the inclusive range [minT, maxT] in milliseconds; `options.signal` cancels its reads. */
  querier(minT: number, maxT: number, options?: QuerierOptions): Querier;
}

/** The part of a Store the query path needs. */
export type QueryableStore = Pick<Store, 'querier'>;

/** Binds a store to one tenant. */
export function tenantQueryable(store: QueryableStore, tenant: string): Queryable {
  return { querier: (minT, maxT, options) => store.querier(tenant, minT, maxT, options) };
}

/** One element of an instant vector: a series and its value at the evaluation time `t` (ms). */
export interface VectorElement {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

export interface Point {
  readonly t: number;
  readonly v: number;
}

/** One series of a matrix (range vector, or the result of a range query): points sorted by time. */
export interface MatrixSeries {
  readonly labels: Labels;
  readonly points: readonly Point[];
}

/** A query's result, tagged with the type name the Prometheus API reports as `resultType`. */
export type QueryValue =
  | { readonly resultType: 'vector'; readonly result: readonly VectorElement[] }
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: 'scalar'; readonly result: Point }
  | { readonly resultType: 'string'; readonly result: { readonly t: number; readonly value: string } };
