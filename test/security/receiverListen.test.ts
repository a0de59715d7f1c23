import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCredentiallessListener } from '../../bin/index.js';
import { loadConfig } from '../../core/index.js';
import { repoRoot } from '../support/index.js';

/**
 * Syslog, Graphite and Wavefront carry no credentials, so --auth cannot protect them: they are off
 * by default, on loopback when on, and elsewhere only with --insecure-no-auth.
 */
describe('socket receivers are safe by default', () => {
  it('are off, and on 127.0.0.1 when given a port', () => {
    const { ingest } = loadConfig({});
    expect([ingest.syslog.port, ingest.graphite.port, ingest.wavefront.port]).toEqual([0, 0, 0]);
    const on = loadConfig({ flags: { ingest: { syslog: { port: 5514 } } } }).ingest.syslog;
    expect(on.host).toBe('127.0.0.1');
  });

  it.each([
    { host: '127.0.0.1', insecureNoAuth: false, verdict: 'loopback' },
    { host: '::1', insecureNoAuth: false, verdict: 'loopback' },
    { host: '0.0.0.0', insecureNoAuth: true, verdict: 'insecure' },
    { host: '0.0.0.0', insecureNoAuth: false, verdict: 'refused' },
    { host: '192.0.2.1', insecureNoAuth: false, verdict: 'refused' },
  ])('$host, insecure $insecureNoAuth → $verdict', ({ host, insecureNoAuth, verdict }) => {
    const run = () => checkCredentiallessListener(host, insecureNoAuth, 'syslog');
    if (verdict === 'refused') expect(run).toThrow(/refusing to listen for syslog on .*carries no credentials.*--insecure-no-auth/);
    else expect(run()).toBe(verdict);
  });

  const start = (args: string[]) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-receiver-listen-'));
    try {
      return spawnSync(process.execPath, [join(repoRoot, 'dist/bin/vigil.js'), 'start', '--data-dir', dataDir, '--http-port', '0', ...args], { encoding: 'utf8', timeout: 20_000 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('`vigil start --syslog-port N --syslog-host 0.0.0.0` refuses to start, even with --auth, and says what to do', () => {
    const r = start(['--syslog-port', '5514', '--syslog-host', '0.0.0.0', '--auth']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to listen for syslog on 0\.0\.0\.0/);
    expect(r.stderr).toContain('--insecure-no-auth');
  });

  it.each([
    [['--syslog-port', '70000'], /ingest\.syslog\.port/],
    [['--graphite-port', 'x'], /ingest\.graphite\.port/],
    [['--syslog-tls-cert', '/tmp/cert.pem'], /ingest\.syslog\.tls: set both cert and key, or neither/],
  ])('refuses %j naming the key', (args, message) => {
    const r = start(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
