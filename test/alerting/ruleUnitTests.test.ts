import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRuleUnitTests } from '../../alerting/index.js';

const PROMTOOL = '/usr/bin/promtool';
const dir = join(import.meta.dirname, 'ruletests');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('_test.yml'))
  .sort();

/** `vigil rules test` in process: exit code, stdout and stderr as the command writes them. */
async function vigil(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runRuleUnitTests([file], (s) => void (stdout += s), (s) => void (stderr += s));
  return { code, stdout, stderr };
}

/**
 * Every rule unit-test file under ruletests/ runs under both `vigil rules test` and Debian's
 * promtool 2.42: same exit code, same report. Files named *_fail_test.yml or *_evalerr_test.yml
 * must fail (their expectations are wrong on purpose, or a rule cannot evaluate); the others pass.
 */
describe.skipIf(!existsSync(PROMTOOL))('rule unit tests agree with promtool test rules', () => {
  it.each(files)('%s', async (file) => {
    // Run from the files' directory, so that both print the same relative name.
    const promtool = spawnSync(PROMTOOL, ['test', 'rules', file], { cwd: dir, encoding: 'utf8' });
    const cwd = process.cwd();
    process.chdir(dir);
    let ours;
    try {
      ours = await vigil(file);
    } finally {
      process.chdir(cwd);
    }
    const shouldFail = /_(fail|evalerr)_test\.yml$/.test(file);
    expect(promtool.status).toBe(shouldFail ? 1 : 0);
    expect({ code: ours.code, stdout: ours.stdout, stderr: ours.stderr }).toEqual({ code: promtool.status, stdout: promtool.stdout, stderr: promtool.stderr });
  });
});
