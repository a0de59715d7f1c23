import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkListenSafety, isLoopbackHost, startPlatform } from '../../bin/index.js';
import { loadConfig } from '../../core/index.js';
import { repoRoot } from '../support/index.js';

describe('listeners are safe by default', () => {
  it('listens on 127.0.0.1 unless told otherwise', () => {
    expect(loadConfig({}).http.host).toBe('127.0.0.1');
  });

  it.each([
    { host: '127.0.0.1', loopback: true },
    { host: '127.70.1.4', loopback: true },
    { host: 'localhost', loopback: true },
    { host: '::1', loopback: true },
    { host: '[::1]', loopback: true },
    { host: '0.0.0.0', loopback: false },
    { host: '::', loopback: false },
    { host: '10.0.0.5', loopback: false },
    { host: '128.0.0.1', loopback: false },
    { host: 'example.internal', loopback: false },
  ])('$host is loopback: $loopback', ({ host, loopback }) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it.each([
    { host: '127.0.0.1', enabled: false, insecureNoAuth: false, verdict: 'loopback' },
    { host: '127.0.0.1', enabled: true, insecureNoAuth: false, verdict: 'authenticated' },
    { host: '0.0.0.0', enabled: true, insecureNoAuth: false, verdict: 'authenticated' },
    { host: '0.0.0.0', enabled: false, insecureNoAuth: true, verdict: 'insecure' },
    { host: '0.0.0.0', enabled: false, insecureNoAuth: false, verdict: 'refused' },
    { host: '192.0.2.1', enabled: false, insecureNoAuth: false, verdict: 'refused' },
  ])('$host, auth $enabled, insecure $insecureNoAuth → $verdict', ({ host, enabled, insecureNoAuth, verdict }) => {
    const run = () => checkListenSafety(host, { enabled, insecureNoAuth });
    if (verdict === 'refused') expect(run).toThrow(/without authentication.*--auth.*--insecure-no-auth/);
    else expect(run()).toBe(verdict);
  });

  it('`vigil start --http-host 0.0.0.0` without auth refuses to start and says what to do', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-listen-'));
    try {
      const r = spawnSync(process.execPath, [join(repoRoot, 'dist/bin/vigil.js'), 'start', '--data-dir', dataDir, '--http-host', '0.0.0.0', '--http-port', '0'], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/refusing to serve the HTTP API on 0\.0\.0\.0 without authentication/);
      expect(r.stderr).toContain('--insecure-no-auth');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS only with --tls-cert/--tls-key, with HSTS', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const config = loadConfig({
      flags: {
        dataDir: join(dir, 'data'),
        roles: ['query'],
        http: { host: '127.0.0.1', port: 0, tls: { cert, key } },
        log: { level: 'silent' },
        collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
      },
    });
    const platform = await startPlatform(config);
    try {
      expect(platform.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await new Promise<{ status: number; hsts: string | undefined; body: string }>((resolve, reject) => {
        const req = request(`${platform.url}/-/healthy`, { ca: readFileSync(cert) }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'], body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('Healthy');
      expect(answer.hsts).toMatch(/max-age=\d+/);
      // Plain HTTP on the TLS port gets no API answer.
      const plain = await fetch(platform.url.replace('https:', 'http:') + '/-/healthy').then((r) => r.status, () => 'refused');
      expect(plain).not.toBe(200);
    } finally {
      await platform.stop();
    }
  });
});
