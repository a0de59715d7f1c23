import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';

/**
 * Cross-tenant reads through every read API of a running platform. Two tenants send OTLP metrics
 * and logs: one gauge with the very same labels in both (so the same series id, with different
 * values), and series, label values, help texts and log lines that carry a marker only that
 * tenant has. Then each tenant reads through every endpoint and must find its own data and
 * nothing that names the other's marker.
 *
 * How a request acts as a tenant is the variant's business (`RequestAs`): X-Scope-OrgID with
 * authentication off, or a token bound to the tenant with it on. Reads and writes both go
 * through it, so a variant checks the tenant on both paths.
 */

export interface Tenant {
  /** The tenant id. */
  readonly name: string;
  /** Appears in this tenant's label values, help texts and log lines, and nowhere else. */
  readonly marker: string;
  /** This tenant's own gauge. */
  readonly onlyMetric: string;
  /** The value of the gauge both tenants send with identical labels. */
  readonly sharedValue: string;
}

export const TENANT_A: Tenant = { name: 'tenant-a', marker: 'from-a', onlyMetric: 'only_a_gauge', sharedValue: '111' };
export const TENANT_B: Tenant = { name: 'tenant-b', marker: 'from-b', onlyMetric: 'only_b_gauge', sharedValue: '222' };

/** Text that must never reach the other tenant. */
const secrets = (t: Tenant): string[] => [t.marker, t.onlyMetric];

/** Sends one HTTP request to the platform as `tenant`; `path` starts with '/'. */
export type RequestAs = (tenant: Tenant, path: string, init?: RequestInit) => Promise<Response>;

/** A running platform to test, and how to act as a tenant on it. */
export interface CrossTenantTarget {
  readonly requestAs: RequestAs;
  stop(): Promise<void>;
  /** The platform's DuckDB file: when given, logs are checked in the store after stop(). */
  readonly storePath?: string;
}

interface PromBody {
  readonly status: string;
  readonly data: unknown;
}

/** One read API call: its path for the reading tenant (`self`), and what `self` must find. */
export interface CrossTenantCase {
  readonly name: string;
  readonly path: (self: Tenant, other: Tenant) => string;
  readonly form?: (self: Tenant, other: Tenant) => string;
  /** Strings the body must contain: proof the endpoint answered with the tenant's own data. */
  readonly contains?: (self: Tenant) => string[];
  /** Extra checks on `data`. */
  readonly check?: (data: unknown, self: Tenant) => void;
}

const q = encodeURIComponent;
const ALL = q('{__name__=~".+"}');

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;
type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

/** The endpoints table; `time` is the instant of the samples (ms). */
export function crossTenantCases(timeMs: number): CrossTenantCase[] {
  const t = (timeMs + 1000) / 1000;
  const range = `start=${t - 120}&end=${t + 60}&step=15`;
  const own = (self: Tenant): string[] => [self.marker, self.onlyMetric];
  return [
    { name: 'query: the shared series by its labels', path: () => `/api/v1/query?query=shared_gauge&time=${t}`, check: (data, self) => expect((data as { result: Vector }).result.map((r) => r.value[1])).toEqual([self.sharedValue]) },
    { name: 'query: {__name__=~".+"}', path: () => `/api/v1/query?query=${ALL}&time=${t}`, contains: own },
    { name: 'query: {__name__=~".*", job!=""}', path: () => `/api/v1/query?query=${q('{__name__=~".*", job!=""}')}&time=${t}`, contains: own },
    { name: 'query: the other tenant\'s metric by name', path: (_s, other) => `/api/v1/query?query=${other.onlyMetric}&time=${t}`, check: (data) => expect((data as { result: Vector }).result).toEqual([]) },
    { name: 'query: the other tenant\'s marker as a matcher', path: (_s, other) => `/api/v1/query?query=${q(`{marker="${other.marker}"}`)}&time=${t}`, check: (data) => expect((data as { result: Vector }).result).toEqual([]) },
    { name: 'query: every series, as a range vector', path: () => `/api/v1/query?query=${q('{__name__=~".+"}[5m]')}&time=${t}`, contains: own, check: (data) => expect((data as { result: Matrix }).result).toHaveLength(2) },
    { name: 'query, posted as a form', path: () => '/api/v1/query', form: () => `query=${ALL}&time=${t}`, contains: own },
    { name: 'query_range: the shared series', path: () => `/api/v1/query_range?query=shared_gauge&${range}`, check: (data, self) => expect(new Set((data as { result: Matrix }).result.flatMap((r) => r.values.map((v) => v[1])))).toEqual(new Set([self.sharedValue])) },
    { name: 'query_range: {__name__=~".+"}', path: () => `/api/v1/query_range?query=${ALL}&${range}`, contains: own },
    { name: 'series: match[]={__name__=~".+"}', path: () => `/api/v1/series?match[]=${ALL}`, contains: own, check: (data) => expect(data).toHaveLength(2) },
    { name: 'series: match[]={job=~".+"} and the other tenant\'s metric', path: (_s, other) => `/api/v1/series?match[]=${q('{job=~".+"}')}&match[]=${other.onlyMetric}`, contains: own },
    { name: 'series, posted as a form', path: () => '/api/v1/series', form: () => `match[]=${ALL}`, contains: own },
    { name: 'labels', path: () => '/api/v1/labels', contains: () => ['__name__', 'job', 'marker'] },
    { name: 'labels: match[]={__name__=~".+"}', path: () => `/api/v1/labels?match[]=${ALL}`, contains: () => ['__name__', 'job', 'marker'] },
    { name: 'label values: __name__', path: () => '/api/v1/label/__name__/values', check: (data, self) => expect(data).toEqual([self.onlyMetric, 'shared_gauge'].sort()) },
    { name: 'label values: job', path: () => '/api/v1/label/job/values', check: (data, self) => expect(data).toEqual([`svc-${self.marker}`, 'svc-same'].sort()) },
    { name: 'label values: marker', path: () => '/api/v1/label/marker/values', check: (data, self) => expect(data).toEqual([self.marker]) },
    { name: 'label values: __name__, match[]={__name__=~".+"}', path: () => `/api/v1/label/__name__/values?match[]=${ALL}`, contains: (self) => [self.onlyMetric] },
    { name: 'metadata', path: () => '/api/v1/metadata', contains: own },
    { name: 'metadata: the shared metric', path: () => '/api/v1/metadata?metric=shared_gauge', check: (data, self) => expect(data).toEqual({ shared_gauge: [{ type: 'gauge', help: `Shared ${self.marker}.`, unit: '' }] }) },
    { name: 'metadata: the other tenant\'s metric', path: (_s, other) => `/api/v1/metadata?metric=${other.onlyMetric}`, check: (data) => expect(data).toEqual({}) },
  ];
}

const NS = 1_000_000n;
const str = (key: string, value: string): object => ({ key, value: { stringValue: value } });

/** OTLP/JSON metrics of one tenant: the shared gauge (same labels in every tenant) and its own gauge. */
export function otlpMetrics(t: Tenant, timeMs: number): string {
  const timeUnixNano = String(BigInt(timeMs) * NS);
  const gauge = (name: string, description: string, value: number, attributes: object[]): object => ({ name, description, gauge: { dataPoints: [{ timeUnixNano, asDouble: value, attributes }] } });
  return JSON.stringify({
    resourceMetrics: [
      { resource: { attributes: [str('service.name', 'svc-same')] }, scopeMetrics: [{ metrics: [gauge('shared_gauge', `Shared ${t.marker}.`, Number(t.sharedValue), [])] }] },
      { resource: { attributes: [str('service.name', `svc-${t.marker}`)] }, scopeMetrics: [{ metrics: [gauge(t.onlyMetric, `Only ${t.marker}.`, 1, [str('marker', t.marker)])] }] },
    ],
  });
}

/** OTLP/JSON logs of one tenant: a line in a stream both tenants have, and one in its own stream. */
export function otlpLogs(t: Tenant, timeMs: number): string {
  const timeUnixNano = String(BigInt(timeMs) * NS);
  const record = (body: string): object => ({ timeUnixNano, severityNumber: 9, severityText: 'INFO', body: { stringValue: body } });
  return JSON.stringify({
    resourceLogs: [
      { resource: { attributes: [str('service.name', 'svc-same')] }, scopeLogs: [{ logRecords: [record(`shared line ${t.marker}`)] }] },
      { resource: { attributes: [str('service.name', `svc-${t.marker}`)] }, scopeLogs: [{ logRecords: [record(`own line ${t.marker}`)] }] },
    ],
  });
}

async function promJson(res: Response): Promise<PromBody> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as PromBody;
}

/** Polls until `tenant` sees both its gauges (the writer commits within its batch wait). */
async function waitVisible(requestAs: RequestAs, tenant: Tenant, timeMs: number): Promise<void> {
  const path = `/api/v1/query?query=${q(`{__name__=~"shared_gauge|${tenant.onlyMetric}"}`)}&time=${(timeMs + 1000) / 1000}`;
  for (let i = 0; i < 100; i++) {
    const body = await promJson(await requestAs(tenant, path));
    const seen = new Set((body.data as { result: Vector }).result.map((r) => r.metric.__name__));
    if (seen.has('shared_gauge') && seen.has(tenant.onlyMetric)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${tenant.name}'s metrics did not become visible`);
}

/**
 * The whole cross-tenant specification against one variant: `start` brings up a platform (fresh
 * data directory) and says how to act as a tenant on it.
 */
export function describeCrossTenant(variant: string, start: () => Promise<CrossTenantTarget>): void {
  describe(`cross-tenant reads through every API (${variant})`, () => {
    const nowMs = Date.now();
    let target: CrossTenantTarget;
    let stopped = false;

    beforeAll(async () => {
      target = await start();
      for (const t of [TENANT_A, TENANT_B]) {
        for (const [path, body] of [['/v1/metrics', otlpMetrics(t, nowMs)], ['/v1/logs', otlpLogs(t, nowMs)]] as const) {
          const res = await target.requestAs(t, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          expect(res.status, await res.clone().text()).toBe(200);
        }
      }
      for (const t of [TENANT_A, TENANT_B]) await waitVisible(target.requestAs, t, nowMs);
    });

    afterAll(async () => {
      if (!stopped) await target?.stop();
    });

    const table = [
      [TENANT_A, TENANT_B],
      [TENANT_B, TENANT_A],
    ].flatMap(([self, other]) => crossTenantCases(nowMs).map((c) => ({ ...c, self: self as Tenant, other: other as Tenant })));

    it.each(table)('$self.name: $name — own data only', async ({ path, form, contains, check, self, other }) => {
      const init: RequestInit = form === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(self, other) };
      const body = await promJson(await target.requestAs(self, path(self, other), init));
      expect(body.status).toBe('success');
      const text = JSON.stringify(body.data);
      for (const s of contains?.(self) ?? []) expect(text).toContain(s);
      for (const s of secrets(other)) expect(text).not.toContain(s);
      check?.(body.data, self);
    });

    it('wrote each tenant\'s logs under that tenant only', async () => {
      if (target.storePath === undefined) return;
      stopped = true;
      await target.stop();
      const store = new DuckDbStore({ path: target.storePath, partitionMs: 24 * 3600_000, registry: new Registry(), logger: createLogger('silent') });
      await store.open();
      try {
        for (const [self, other] of [[TENANT_A, TENANT_B], [TENANT_B, TENANT_A]] as const) {
          const querier = store.querier(self.name, nowMs - 60_000, nowMs + 60_000);
          const logs = await querier.selectLogs({ matchers: [], direction: 'forward', limit: 100 });
          expect(logs.map((l) => l.body).sort()).toEqual([`own line ${self.marker}`, `shared line ${self.marker}`]);
          const streams = JSON.stringify([await querier.logLabelValues('job'), logs.map((l) => l.stream)]);
          expect(streams).toContain(self.marker);
          expect(streams).not.toContain(other.marker);
        }
      } finally {
        await store.close();
      }
    });
  });
}
