import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/index.js';

/** `vigil start --scrape-config FILE` with a bad file: exit 2 and the file, key and problem named (the built CLI). */
describe('vigil start --scrape-config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: 'an unsupported discovery', yaml: 'scrape_configs:\n  - job_name: k8s\n    kubernetes_sd_configs: [{ role: pod }]\n', message: 'scrape_configs.0: Unrecognized key: "kubernetes_sd_configs"' },
    { name: 'a timeout over the interval', yaml: 'scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 10s\n', message: 'scrape timeout greater than scrape interval for scrape config with job name "a"' },
    { name: 'a bad relabel regex', yaml: 'scrape_configs:\n  - job_name: a\n    relabel_configs: [{ source_labels: [x], regex: "(", action: keep }]\n', message: 'relabel_configs: invalid regex "("' },
  ])('$name', ({ yaml, message }) => {
    const file = join(dir, 'scrape.yml');
    writeFileSync(file, yaml);
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist/bin/vigil.js'), 'start', '--scrape-config', file, '--data-dir', join(dir, 'data'), '--http-port', '0', '--log-level', 'silent'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`vigil: scrape config ${file}: `);
    expect(r.stderr).toContain(message);
  });
});
