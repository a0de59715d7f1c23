import type { Limits } from '../../core/index.js';
import { tenantLimits, VigilError } from '../../core/index.js';
import type { Release } from './semaphore.js';
import { Semaphore } from './semaphore.js';

/**
 * Per-tenant query limits: how many queries a tenant runs at once (limits.maxQueryConcurrency),
 * how many may wait for a slot (limits.maxQueryQueue), and how many samples one may load
 * (limits.maxSamplesPerQuery). One tenant's dashboards can then never take every query slot of
 * the process. Like Mimir's query-frontend, a tenant with a full queue is answered 429 at once.
 */
export class QueryLimiter {
  private readonly gates = new Map<string, Semaphore>();

  constructor(private readonly limits: Limits) {}

  /**
   * Waits for one of the tenant's query slots. Throws VigilError 'too_many_requests' when its
   * queue is full, 'timeout' when `signal` aborts while waiting.
   */
  async acquire(tenant: string, signal: AbortSignal): Promise<Release> {
    const gate = this.gateOf(tenant);
    const waiting = gate.acquire(signal);
    if (waiting === undefined) {
      throw new VigilError(
        'too_many_requests',
        `too many outstanding requests: tenant ${JSON.stringify(tenant)} has ${gate.running} queries running (limits.maxQueryConcurrency) ` +
          `and ${gate.waiting} waiting (limits.maxQueryQueue); retry later or raise the limits`,
        { retryAfterMs: 1000 },
      );
    }
    try {
      const release = await waiting;
      // An idle tenant's gate is dropped, so made-up tenant ids cannot pile up gates.
      return () => {
        release();
        if (gate.running === 0 && gate.waiting === 0 && this.gates.get(tenant) === gate) this.gates.delete(tenant);
      };
    } catch {
      throw new VigilError('timeout', `query timed out waiting for one of tenant ${JSON.stringify(tenant)}'s ${gate.permits} query slots (limits.maxQueryConcurrency)`);
    }
  }

  /** Tenants with a query running or waiting. */
  get tenantCount(): number {
    return this.gates.size;
  }

  /** The tenant's sample limit per query, named for the error that exceeds it. */
  maxSamples(tenant: string): { readonly limit: number; readonly name: string } {
    const limit = tenantLimits(this.limits, tenant).maxSamplesPerQuery;
    // 0 disables the limit (the engine's own default included).
    return { limit: limit === 0 ? Number.POSITIVE_INFINITY : limit, name: `limits.maxSamplesPerQuery of ${limit} for tenant ${JSON.stringify(tenant)}` };
  }

  /** The tenant's series limit per query, named for the error that exceeds it. */
  maxSeries(tenant: string): { readonly limit: number; readonly name: string } {
    const limit = tenantLimits(this.limits, tenant).maxSeriesPerQuery;
    return { limit: limit === 0 ? Number.POSITIVE_INFINITY : limit, name: `limits.maxSeriesPerQuery of ${limit} for tenant ${JSON.stringify(tenant)}` };
  }

  private gateOf(tenant: string): Semaphore {
    let gate = this.gates.get(tenant);
    if (gate === undefined) {
      const { maxQueryConcurrency, maxQueryQueue } = tenantLimits(this.limits, tenant);
      gate = new Semaphore(maxQueryConcurrency, maxQueryQueue);
      this.gates.set(tenant, gate);
    }
    return gate;
  }
}
