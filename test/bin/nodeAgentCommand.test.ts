import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../bin/index.js';
import { parseDurationMs } from '../../core/index.js';
import { repoRoot } from '../support/index.js';

describe('vigil agent flags', () => {
  it.each<[string, number | undefined]>([
    ['15s', 15_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['15', undefined],
    ['1.5s', undefined],
    ['-1s', undefined],
  ])('duration %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each<[string, number | undefined]>([
    ['256MiB', 256 * 1024 ** 2],
    ['1GiB', 1024 ** 3],
    ['64KiB', 65_536],
    ['100000', 100_000],
    ['1MB', undefined],
    ['lots', undefined],
  ])('size %s', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  // The built CLI, as a user runs it: a bad invocation exits 2 with a message naming the problem, before doing anything.
  it.each<[string[], RegExp]>([
    [[], /--server URL \(or VIGIL_URL\) is required/],
    [['--server', 'not a url'], /is not a URL/],
    [['--server', 'ftp://x'], /must be http:\/\/ or https:\/\//],
    [['--server', 'http://127.0.0.1:9', '--interval', 'often'], /--interval "often": want a duration/],
    [['--server', 'http://127.0.0.1:9', '--buffer-size', '1KiB'], /--buffer-size "1KiB": want a size .*at least 64KiB/],
    [['--server', 'http://127.0.0.1:9', '--multiline', '(unclosed'], /--multiline "\(unclosed" is not a valid RE2 pattern/],
    [['--server', 'http://127.0.0.1:9', '--log', 'relative/*.log'], /must be an absolute path/],
    [['--server', 'http://127.0.0.1:9', '--no-such-flag'], /Unknown option '--no-such-flag'/],
  ])('vigil agent %j', (args, message) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist/bin/vigil.js'), 'agent', ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, VIGIL_URL: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
