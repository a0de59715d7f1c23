import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../bin/index.js';
import { PUBLIC_ROUTES, registeredRoutes, startPlatform, TokenStore, tokensFileOf } from '../../bin/index.js';
import type { Scope } from '../../core/index.js';
import { loadConfig } from '../../core/index.js';

/**
 * Authentication on: every route but the probes needs a token, each route group its scope, and a
 * token bound to a tenant acts only for it. The platform runs every role in-process (the director
 * on the dummy CPI), so the walk covers every route a role registers today and any added later.
 */
describe('authentication and scopes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-auth-'));
  let platform: Platform;
  const tokens: Record<string, string> = {};
  let store: TokenStore;

  const config = loadConfig({
    flags: {
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      auth: { enabled: true },
      log: { level: 'silent' },
      collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
      director: { cpi: 'dummy', resurrection: false },
    },
  });

  const grants: Record<string, { scopes: Scope[]; tenant: string }> = {
    reader: { scopes: ['read'], tenant: '*' },
    ingester: { scopes: ['ingest'], tenant: '*' },
    ops: { scopes: ['lifecycle'], tenant: '*' },
    admin: { scopes: ['admin'], tenant: '*' },
    acmeWriter: { scopes: ['ingest'], tenant: 'acme' },
    acmeReader: { scopes: ['read'], tenant: 'acme' },
    globexReader: { scopes: ['read'], tenant: 'globex' },
  };

  beforeAll(async () => {
    store = new TokenStore(tokensFileOf(config));
    for (const [name, g] of Object.entries(grants)) tokens[name] = (await store.create({ name, scopes: g.scopes, tenant: g.tenant })).token;
    platform = await startPlatform(config);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const bearer = (name: string): Record<string, string> => ({ authorization: `Bearer ${tokens[name] ?? ''}` });
  /** A concrete URL for a route pattern: parameters filled with a harmless value. */
  const concrete = (url: string): string => url.replace(/:[A-Za-z_]+/g, 'x1').replace(/\*/g, 'x1');

  it('answers 401 on every registered route without a token, except the public probes', async () => {
    const routes = registeredRoutes(platform.app).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    // The walk must see every role's routes, or it proves nothing.
    for (const expected of ['/v1/metrics', '/api/v1/write', '/api/v1/query', '/api/v1/director/releases', '/metrics']) expect(routes.map((r) => r.url)).toContain(expected);
    const open: string[] = [];
    for (const r of routes) {
      if (PUBLIC_ROUTES.includes(r.url)) continue;
      const res = await platform.app.inject({ method: r.method as 'GET', url: concrete(r.url), remoteAddress: '203.0.113.7' });
      if (res.statusCode !== 401) open.push(`${r.method} ${r.url} → ${res.statusCode}`);
      else expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(open).toEqual([]);
    for (const url of PUBLIC_ROUTES) expect((await platform.app.inject({ method: 'GET', url })).statusCode).not.toBe(401);
  });

  it('refuses the release upload of the remote-code-execution finding: 401 without a token, 403 without lifecycle', async () => {
    const upload = (headers: Record<string, string>) =>
      platform.app.inject({ method: 'POST', url: '/api/v1/director/releases', remoteAddress: '203.0.113.7', headers: { 'content-type': 'application/gzip', ...headers }, payload: Buffer.from('not a tarball') });
    expect((await upload({})).statusCode).toBe(401);
    for (const name of ['reader', 'ingester', 'acmeWriter']) expect((await upload(bearer(name))).statusCode).toBe(403);
    // With the lifecycle scope the request reaches the director, which judges the tarball itself.
    const allowed = await upload(bearer('ops'));
    expect([400, 415]).toContain(allowed.statusCode);
    // Every attempt is in the audit log, with who tried when the credential was known.
    const audit = await platform.app.inject({ method: 'GET', url: '/api/v1/director/audit?limit=10', headers: bearer('ops') });
    const entries = (audit.json() as { entries: { actor: { name: string }; action: string; result: string; error: string | null }[] }).entries;
    const uploads = entries.filter((e) => e.action === 'upload_release' || e.action === 'POST /api/v1/director/releases');
    expect(uploads.map((e) => [e.actor.name, e.result, e.error?.slice(0, 8)])).toEqual([
      ['ops', 'refused', expect.any(String)],
      ['acmeWriter', 'refused', 'HTTP 403'],
      ['ingester', 'refused', 'HTTP 403'],
      ['reader', 'refused', 'HTTP 403'],
      ['unauthenticated', 'refused', 'HTTP 401'],
    ]);
  });

  it.each([
    { name: 'read scope on the query API', token: 'reader', method: 'GET', url: '/api/v1/labels', status: 200 },
    { name: 'admin implies read', token: 'admin', method: 'GET', url: '/api/v1/labels', status: 200 },
    { name: 'ingest token cannot read', token: 'ingester', method: 'GET', url: '/api/v1/labels', status: 403 },
    { name: 'read token cannot write', token: 'reader', method: 'POST', url: '/v1/metrics', status: 403 },
    { name: 'read token cannot remote-write', token: 'reader', method: 'POST', url: '/api/v1/write', status: 403 },
    // Past authentication, the receiver judges the body itself: JSON is not a remote-write body.
    { name: 'ingest token reaches the remote-write receiver', token: 'ingester', method: 'POST', url: '/api/v1/write', status: 415 },
    { name: 'lifecycle scope on the director', token: 'ops', method: 'GET', url: '/api/v1/director/deployments', status: 200 },
    { name: 'read token cannot see deployments', token: 'reader', method: 'GET', url: '/api/v1/director/deployments', status: 403 },
    { name: 'own metrics need read', token: 'ingester', method: 'GET', url: '/metrics', status: 403 },
    { name: 'own metrics with read', token: 'reader', method: 'GET', url: '/metrics', status: 200 },
  ])('$name → $status', async ({ token, method, url, status }) => {
    const res = await platform.app.inject({ method: method as 'GET', url, headers: { ...bearer(token), 'content-type': 'application/json' }, ...(method === 'POST' ? { payload: '{}' } : {}) });
    expect(res.statusCode).toBe(status);
  });

  it('takes the token as the password of basic auth, and refuses unknown, malformed and other-scheme credentials', async () => {
    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    const status = async (authorization: string) => (await platform.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { authorization } })).statusCode;
    expect(await status(basic('grafana', tokens['reader'] ?? ''))).toBe(200);
    expect(await status(basic('', tokens['reader'] ?? ''))).toBe(200);
    const t = tokens['reader'] ?? '';
    const wrongSecret = `${t.slice(0, -3)}${t.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const bad of [`Bearer ${wrongSecret}`, 'Bearer vgl_0000000000000000_' + 'A'.repeat(43), 'Bearer nonsense', `Token ${t}`, 'Bearer ', basic('u', 'p')]) {
      expect(await status(bad), bad).toBe(401);
    }
  });

  it('binds a tenant token to its tenant: X-Scope-OrgID cannot switch it, and data written for acme is invisible to globex', async () => {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const body = JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'tenant_marker', gauge: { dataPoints: [{ timeUnixNano: String(nowNs), asDouble: 7 }] } }] }] }] });
    const write = (headers: Record<string, string>) => platform.app.inject({ method: 'POST', url: '/v1/metrics', headers: { 'content-type': 'application/json', ...headers }, payload: body });
    expect((await write({ ...bearer('acmeWriter'), 'x-scope-orgid': 'globex' })).statusCode).toBe(403);
    expect((await write(bearer('acmeWriter'))).statusCode).toBe(200);

    const query = async (token: string, extra: Record<string, string> = {}) => {
      const res = await platform.app.inject({ method: 'GET', url: '/api/v1/query?query=tenant_marker', headers: { ...bearer(token), ...extra } });
      return { status: res.statusCode, series: res.statusCode === 200 ? (res.json() as { data: { result: unknown[] } }).data.result.length : -1 };
    };
    let seen = 0;
    for (let i = 0; i < 100 && seen === 0; i++) {
      seen = (await query('acmeReader')).series;
      if (seen === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe(1);
    expect(await query('globexReader')).toEqual({ status: 200, series: 0 });
    expect((await query('globexReader', { 'x-scope-orgid': 'acme' })).status).toBe(403);
    // A token for all tenants picks one with the header, and the default tenant without it.
    expect(await query('reader', { 'x-scope-orgid': 'acme' })).toEqual({ status: 200, series: 1 });
    expect(await query('reader')).toEqual({ status: 200, series: 0 });
  });

  it('stops accepting a revoked token within a few seconds, while the server runs', async () => {
    const { token } = await store.create({ name: 'short-lived', scopes: ['read'], tenant: '*' });
    const status = async () => (await platform.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { authorization: `Bearer ${token}` } })).statusCode;
    let s = 0;
    for (let i = 0; i < 60 && s !== 200; i++) {
      s = await status();
      if (s !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(s).toBe(200);
    expect(store.revoke('short-lived')).toHaveLength(1);
    for (let i = 0; i < 60 && s !== 401; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status();
    }
    expect(s).toBe(401);
  });

  it('sends security headers on every answer', async () => {
    for (const url of ['/-/healthy', '/api/v1/labels']) {
      const res = await platform.app.inject({ method: 'GET', url, headers: bearer('reader') });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});
