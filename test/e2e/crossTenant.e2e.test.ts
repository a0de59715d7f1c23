import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startPlatform, TokenStore, tokensFileOf } from '../../bin/index.js';
import { loadConfig } from '../../core/index.js';
import { describeCrossTenant, TENANT_A, TENANT_B } from './crossTenant.js';

/**
 * Tenants are kept apart through every read API of the real platform (in-process: embedded bus,
 * writer, DuckDB store, Prometheus API): once with authentication off, the tenant being
 * X-Scope-OrgID, and once with authentication on, the tenant being the one each token is bound to
 * (ingest and read alike).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-tenants-e2e-'));
const authDataDir = mkdtempSync(join(tmpdir(), 'vigil-tenants-auth-e2e-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(authDataDir, { recursive: true, force: true });
});

describeCrossTenant('X-Scope-OrgID, authentication off', async () => {
  const config = loadConfig({
    flags: {
      dataDir,
      roles: ['ingest', 'writer', 'query'],
      http: { host: '127.0.0.1', port: 0 },
      log: { level: 'silent' },
      // Nothing but the test's data in the store: no host metrics, no own logs.
      collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
      writer: { maxBatchWaitMs: 20 },
    },
  });
  const platform = await startPlatform(config);
  return {
    requestAs: (tenant, path, init = {}) => fetch(`${platform.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), 'x-scope-orgid': tenant.name } }),
    stop: () => platform.stop(),
    storePath: join(dataDir, 'vigil.duckdb'),
  };
});

describeCrossTenant('tenant-bound tokens, authentication on', async () => {
  const config = loadConfig({
    flags: {
      dataDir: authDataDir,
      roles: ['ingest', 'writer', 'query'],
      http: { host: '127.0.0.1', port: 0 },
      auth: { enabled: true },
      log: { level: 'silent' },
      collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
      writer: { maxBatchWaitMs: 20 },
    },
  });
  const store = new TokenStore(tokensFileOf(config));
  const tokens = new Map<string, string>();
  for (const t of [TENANT_A, TENANT_B]) tokens.set(t.name, (await store.create({ name: t.name, scopes: ['ingest', 'read'], tenant: t.name })).token);
  const platform = await startPlatform(config);
  return {
    requestAs: (tenant, path, init = {}) =>
      fetch(`${platform.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${tokens.get(tenant.name) ?? ''}` } }),
    stop: () => platform.stop(),
    storePath: join(authDataDir, 'vigil.duckdb'),
  };
});
