import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/index.js';

/** Every server-side command explains itself: `--help` exits 0 with its usage (the built CLI, as a user runs it). */
describe('vigil <command> --help', () => {
  it.each([
    { args: ['--help'], usage: /^usage: vigil <command>/ },
    { args: ['start', '--help'], usage: /^usage: vigil start/ },
    { args: ['director', '--help'], usage: /^usage: vigil director[\s\S]*usage: vigil start/ },
    { args: ['vm-agent', '--help'], usage: /^usage: vigil vm-agent --settings FILE[\s\S]*VIGIL_LOG_LEVEL/ },
    { args: ['agent', '--help'], usage: /^usage: vigil agent --server URL[\s\S]*VIGIL_URL[\s\S]*VIGIL_TOKEN/ },
    { args: ['token', '--help'], usage: /^usage: vigil token create/ },
  ])('vigil $args.0 $args.1', ({ args, usage }) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist/bin/vigil.js'), ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(usage);
  });
});
