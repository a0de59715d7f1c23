import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, limitsSchema, loadConfig, tenantLimits } from '../../core/index.js';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-limits-'));
  const path = join(dir, 'vigil.yml');
  writeFileSync(path, text);
  return path;
}

describe('per-tenant limits: defaults, overrides per tenant, every config source', () => {
  const defaults = { ingestRate: 1_000_000, ingestBurst: 2_000_000, maxActiveSeries: 1_000_000, maxLabelValuesPerName: 100_000, maxQueryConcurrency: 8, maxQueryQueue: 64, maxSamplesPerQuery: 50_000_000, maxSeriesPerQuery: 500_000 };
  const file = yamlFile('limits:\n  maxActiveSeries: 500\n  tenants:\n    acme:\n      ingestRate: 100\n    "team-b.x":\n      maxQueryConcurrency: 0\n');
  const cases: { name: string; opts: Parameters<typeof loadConfig>[0]; tenant: string; expected: object }[] = [
    { name: 'no configuration: the defaults', opts: {}, tenant: 'acme', expected: defaults },
    { name: 'a tenant without overrides gets the configured defaults', opts: { file }, tenant: 'other', expected: { ...defaults, maxActiveSeries: 500 } },
    { name: 'a tenant override wins over the default, the rest is inherited', opts: { file }, tenant: 'acme', expected: { ...defaults, maxActiveSeries: 500, ingestRate: 100 } },
    { name: '0 disables a limit for one tenant', opts: { file }, tenant: 'team-b.x', expected: { ...defaults, maxActiveSeries: 500, maxQueryConcurrency: 0 } },
    { name: 'env sets a default', opts: { env: { VIGIL_LIMITS__INGEST_RATE: '42' } }, tenant: 'x', expected: { ...defaults, ingestRate: 42 } },
    { name: 'env sets a tenant override', opts: { env: { VIGIL_LIMITS__TENANTS__ACME__MAX_SAMPLES_PER_QUERY: '7' } }, tenant: 'acme', expected: { ...defaults, maxSamplesPerQuery: 7 } },
    { name: 'flags win over the file', opts: { file, flags: { limits: { tenants: { acme: { ingestRate: 5 } } } } }, tenant: 'acme', expected: { ...defaults, maxActiveSeries: 500, ingestRate: 5 } },
    { name: "a tenant named like Object's properties finds no override", opts: {}, tenant: 'constructor', expected: defaults },
  ];
  it.each(cases)('$name', ({ opts, tenant, expected }) => {
    expect(tenantLimits(loadConfig(opts).limits, tenant)).toEqual(expected);
  });

  it('limitsSchema.parse({}) (how tests and tools build limits) has them too', () => {
    expect(tenantLimits(limitsSchema.parse({}), 'default')).toEqual(defaults);
  });
});

describe('bad per-tenant limits name the key', () => {
  const cases: { name: string; text: string; message: RegExp }[] = [
    { name: 'negative rate', text: 'limits:\n  ingestRate: -1\n', message: /limits\.ingestRate/ },
    { name: 'unknown override', text: 'limits:\n  tenants:\n    acme:\n      maxLabelsPerSeries: 3\n', message: /limits\.tenants\.acme/ },
    { name: 'invalid tenant id', text: 'limits:\n  tenants:\n    "a/b":\n      ingestRate: 3\n', message: /limits\.tenants\.a\/b: not a tenant id/ },
    { name: 'fractional limit', text: 'limits:\n  tenants:\n    acme:\n      maxActiveSeries: 1.5\n', message: /limits\.tenants\.acme\.maxActiveSeries/ },
  ];
  it.each(cases)('$name', ({ text, message }) => {
    const file = yamlFile(text);
    expect(() => loadConfig({ file })).toThrowError(ConfigError);
    expect(() => loadConfig({ file })).toThrowError(message);
  });
});
