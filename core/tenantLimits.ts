import { z } from 'zod';
import { isValidTenant } from './auth.js';

/**
 * Limits that apply per tenant, with their defaults. Defaults are production-like (as Mimir's
 * per-tenant limits are) but sized so that a single-user install and the ingest benchmark
 * (~550k samples/s) never meet them; `limits.tenants.<id>` overrides any of them for one tenant.
 * 0 disables a limit.
 */
const count = (): z.ZodNumber => z.number().int().min(0);

export const tenantLimitFields = {
  /** Samples plus log lines per second a tenant may push (token bucket refill rate). */
  ingestRate: count().default(1_000_000),
  /** Most samples plus log lines a tenant may push at once after being idle (bucket size). */
  ingestBurst: count().default(2_000_000),
  /** Distinct series a tenant may have received within the last hour; samples of further new series are rejected. */
  maxActiveSeries: count().default(1_000_000),
  /**
   * Distinct values one label name may take across the tenant's new series within the last hour
   * (`__name__` included: distinct metric names); a new series bringing one more is rejected.
   * Catches the exporter that puts ids or timestamps into a label before it fills the store.
   */
  maxLabelValuesPerName: count().default(100_000),
  /** Queries (query, query_range, series, labels, label values) a tenant may run at once. */
  maxQueryConcurrency: count().default(8),
  /** Queries a tenant may have waiting for a slot; beyond them → 429. */
  maxQueryQueue: count().default(64),
  /** Most samples one query may load (Prometheus' --query.max-samples). */
  maxSamplesPerQuery: count().default(50_000_000),
  /** Most series one query may read, across its selectors (Cortex's max_fetched_series_per_query). */
  maxSeriesPerQuery: count().default(500_000),
};

/** One tenant's overrides: any subset of the per-tenant limits (no defaults: what is absent is inherited). */
const overridesSchema = z
  .object({
    ingestRate: count().optional(),
    ingestBurst: count().optional(),
    maxActiveSeries: count().optional(),
    maxLabelValuesPerName: count().optional(),
    maxQueryConcurrency: count().optional(),
    maxQueryQueue: count().optional(),
    maxSamplesPerQuery: count().optional(),
    maxSeriesPerQuery: count().optional(),
  })
  .strict();

/** `limits.tenants`: overrides by tenant id; ids follow the tenant rules (core/auth.ts). */
export const tenantOverridesSchema = z.record(z.string(), overridesSchema).superRefine((tenants, ctx) => {
  for (const id of Object.keys(tenants)) {
    if (!isValidTenant(id)) ctx.addIssue({ code: 'custom', path: [id], message: "not a tenant id: 1-150 characters of letters, digits and !-_.*'()" });
  }
});

export type TenantLimits = z.infer<z.ZodObject<typeof tenantLimitFields>>;

export type TenantOverrides = z.infer<typeof overridesSchema>;

/** The per-tenant limits of `tenant`: its overrides over the configured defaults. */
export function tenantLimits(limits: TenantLimits & { readonly tenants: Readonly<Record<string, TenantOverrides>> }, tenant: string): TenantLimits {
  const defaults: TenantLimits = {
    ingestRate: limits.ingestRate,
    ingestBurst: limits.ingestBurst,
    maxActiveSeries: limits.maxActiveSeries,
    maxLabelValuesPerName: limits.maxLabelValuesPerName,
    maxQueryConcurrency: limits.maxQueryConcurrency,
    maxQueryQueue: limits.maxQueryQueue,
    maxSamplesPerQuery: limits.maxSamplesPerQuery,
    maxSeriesPerQuery: limits.maxSeriesPerQuery,
  };
  // Own properties only: a tenant called "constructor" or "__proto__" must not find Object's.
  const own = Object.hasOwn(limits.tenants, tenant) ? limits.tenants[tenant] : undefined;
  return own === undefined ? defaults : { ...defaults, ...stripUndefined(own) };
}

function stripUndefined(o: TenantOverrides): Partial<TenantLimits> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
