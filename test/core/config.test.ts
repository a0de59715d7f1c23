import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, effectiveMaxSampleAgeMs, loadConfig } from '../../core/index.js';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const path = join(dir, 'vigil.yml');
  writeFileSync(path, text);
  return path;
}

describe('config precedence: defaults < file < env < flags', () => {
  const file = yamlFile('http:\n  port: 9001\ndataDir: /from/file\nbus:\n  maxLagBytes: 1000\n');
  const cases: { name: string; env: NodeJS.ProcessEnv; flags: Record<string, unknown>; port: number; dataDir: string }[] = [
    { name: 'file over defaults', env: {}, flags: {}, port: 9001, dataDir: '/from/file' },
    { name: 'env over file', env: { VIGIL_HTTP_PORT: '9002' }, flags: {}, port: 9002, dataDir: '/from/file' },
    { name: 'flags over env', env: { VIGIL_HTTP_PORT: '9002', VIGIL_DATA_DIR: '/from/env' }, flags: { http: { port: 9003 } }, port: 9003, dataDir: '/from/env' },
  ];
  it.each(cases)('$name', ({ env, flags, port, dataDir }) => {
    const cfg = loadConfig({ file, env, flags });
    expect(cfg.http.port).toBe(port);
    expect(cfg.dataDir).toBe(dataDir);
    expect(cfg.bus.maxLagBytes).toBe(1000);
    expect(cfg.bus.segmentBytes).toBe(64 * 1024 * 1024); // default kept beside the file's sibling key
  });

  it('maps nested env names with __ and camel-cases words', () => {
    const cfg = loadConfig({ env: { VIGIL_BUS__MAX_LAG_BYTES: '4096', VIGIL_ROLES: 'ingest, writer' } });
    expect(cfg.bus.maxLagBytes).toBe(4096);
    expect(cfg.roles).toEqual(['ingest', 'writer']);
  });

  it('ignores the CLI\'s own VIGIL_* variables (a shell that exported VIGIL_TOKEN can still start Vigil)', () => {
    const env = { VIGIL_TOKEN: 'vgl_x', VIGIL_URL: 'http://h:1', VIGIL_CONFIG: '/nowhere', VIGIL_VM_CID: 'vm-1', VIGIL_HTTP_PORT: '9100' };
    expect(loadConfig({ env }).http.port).toBe(9100);
  });

  it('defaults give the embedded platform on port 8470', () => {
    const cfg = loadConfig();
    expect(cfg).toMatchObject({ dataDir: './data', http: { port: 8470 }, bus: { kind: 'embedded' }, store: { kind: 'duckdb' }, roles: ['all'] });
  });
});

describe('bad config names the key and what was expected', () => {
  const cases: { name: string; opts: Parameters<typeof loadConfig>[0]; message: RegExp }[] = [
    { name: 'port out of range', opts: { flags: { http: { port: 70000 } } }, message: /http\.port: .*65535/ },
    { name: 'port not a number', opts: { env: { VIGIL_HTTP_PORT: 'eighty' } }, message: /http\.port: .*number/ },
    { name: 'unknown key', opts: { file: yamlFile('htp:\n  port: 1\n') }, message: /htp/ },
    { name: 'wrong enum', opts: { file: yamlFile('store:\n  kind: postgres\n') }, message: /store\.kind: .*duckdb.*clickhouse/ },
    { name: 'nested wrong type', opts: { file: yamlFile('limits:\n  maxLabelsPerSeries: many\n') }, message: /limits\.maxLabelsPerSeries/ },
    { name: 'not YAML', opts: { file: yamlFile('a: [1, 2\n') }, message: /not valid YAML/ },
    { name: 'missing file', opts: { file: '/nonexistent/vigil.yml' }, message: /cannot read config file \/nonexistent\/vigil\.yml/ },
  ];
  it.each(cases)('$name', ({ opts, message }) => {
    expect(() => loadConfig(opts)).toThrowError(ConfigError);
    expect(() => loadConfig(opts)).toThrowError(message);
  });
});

describe('the maximum sample age ingest accepts', () => {
  const DAY = 24 * 3600_000;
  it.each([
    ['default: the retention', {}, 15 * DAY],
    ['follows the retention', { 'store.retentionMs': 3 * DAY }, 3 * DAY],
    ['ingest.maxSampleAgeMs when shorter', { 'ingest.maxSampleAgeMs': DAY }, DAY],
    ['never beyond the retention', { 'ingest.maxSampleAgeMs': 365 * DAY }, 15 * DAY],
    ['the old spelling limits.maxSampleAgeMs still counts', { 'limits.maxSampleAgeMs': 2 * DAY }, 2 * DAY],
    ['the new spelling wins over the old', { 'limits.maxSampleAgeMs': 2 * DAY, 'ingest.maxSampleAgeMs': 4 * DAY }, 4 * DAY],
  ])('%s', (_name, flags, expected) => {
    const nested: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(flags)) {
      const [a, b] = k.split('.') as [string, string];
      nested[a] = { ...(nested[a] as object), [b]: v };
    }
    expect(effectiveMaxSampleAgeMs(loadConfig({ flags: nested }))).toBe(expected);
  });
});
