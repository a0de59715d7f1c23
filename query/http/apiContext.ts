import type { CardinalityStats } from '../../storage/index.js';
import type { Engine, Queryable } from '../engine/index.js';
import type { Form } from './params.js';
import type { RulesView } from './rulesView.js';

/**
 * What every endpoint handler receives and returns. Its own file so that handlers and the plugin
 * that registers them both import it, and neither imports the other (no cycle in query/http).
 */
export interface ApiContext {
  readonly form: Form;
  readonly tenant: string;
  readonly queryable: Queryable;
  readonly engine: Engine;
  readonly now: () => number;
  readonly queryTimeoutMs: number;
  readonly params: Readonly<Record<string, string>>;
  /**
   * Aborts when the request's work should stop: its deadline (the server's query timeout, or a
   * shorter `timeout` parameter on query endpoints) or the client closing the connection.
   * Handlers pass it to every querier they create; the store then interrupts its statement.
   */
  readonly signal: AbortSignal;
  /** Longest query text (query, match[]) in UTF-8 bytes: limits.maxQueryLength. */
  readonly maxQueryLength: number;
  /** The tenant's sample limit per query, when per-tenant limits are configured. */
  readonly maxSamples?: { readonly limit: number; readonly name: string };
  /** The tenant's series limit per query (limits.maxSeriesPerQuery), when the API has per-tenant limits. */
  readonly maxSeries?: { readonly limit: number; readonly name: string };
  /** The tenant's cardinality (top `limit` per list), when the store reports it (Store.cardinality). */
  readonly cardinality?: (limit: number) => Promise<CardinalityStats>;
  /** The rule evaluator's view, when one runs in this process (asked per request: it may start later). */
  readonly rules?: () => RulesView | undefined;
}

/** A handler returns the serialised `data` of the success envelope, and any warnings. */
export interface ApiResult {
  readonly data: string;
  readonly warnings?: readonly string[];
}

export type ApiHandler = (ctx: ApiContext) => Promise<ApiResult>;
