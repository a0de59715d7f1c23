import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startPlatform } from '../../bin/index.js';
import { loadConfig } from '../../core/index.js';
import { describeCrossTenant } from './crossTenant.js';

/**
 * Tenants are kept apart through every read API of the real platform (in-process: embedded bus,
 * writer, DuckDB store, Prometheus API). Authentication is off, so the tenant is X-Scope-OrgID.
 * A variant with tenant-bound tokens is another describeCrossTenant call whose requestAs sends
 * the tenant's token instead (see crossTenant.ts).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-tenants-e2e-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

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
