import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TargetGroup } from '../../../collectors/index.js';
import { FileSd } from '../../../collectors/index.js';

/** file_sd on a real directory: globbing, JSON and YAML, changes picked up, bad files keeping the last good targets. */
describe('file_sd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-file-sd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Waits (polling, no timing assertion) until `check` holds for the latest groups. */
  async function until(latest: () => TargetGroup[] | undefined, check: (g: TargetGroup[]) => boolean, what: string): Promise<TargetGroup[]> {
    for (let i = 0; i < 200; i++) {
      const g = latest();
      if (g !== undefined && check(g)) return g;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`file_sd never showed ${what}: ${JSON.stringify(latest())}`);
  }

  it('reads every matching file, follows changes, keeps the last good groups of a broken file, forgets a deleted one', async () => {
    const sdDir = join(dir, 'targets');
    mkdirSync(sdDir);
    writeFileSync(join(sdDir, 'a.json'), JSON.stringify([{ targets: ['a:1'], labels: { team: 'x' } }]));
    writeFileSync(join(sdDir, 'b.yml'), '- targets: [b:2]\n');
    writeFileSync(join(sdDir, 'ignored.txt'), 'not a target file');
    let latest: TargetGroup[] | undefined;
    const errors: string[] = [];
    const sd = new FileSd({
      config: { files: [join(sdDir, '*.json'), join(sdDir, '*.yml')], refreshIntervalMs: 60_000 },
      onGroups: (g) => (latest = g),
      onError: (file, message) => errors.push(`${file}: ${message}`),
    });
    await sd.start();
    try {
      expect(latest?.map((g) => [g.targets, g.labels])).toEqual([
        [['a:1'], { team: 'x', __meta_filepath: join(sdDir, 'a.json') }],
        [['b:2'], { __meta_filepath: join(sdDir, 'b.yml') }],
      ]);

      writeFileSync(join(sdDir, 'a.json'), JSON.stringify([{ targets: ['a:1', 'a:3'] }]));
      await until(() => latest, (g) => g.some((x) => x.targets.includes('a:3')), 'the changed file');

      writeFileSync(join(sdDir, 'b.yml'), '- targets: [b:2]\n  labels: { "bad-name": x }\n');
      await until(() => (errors.length > 0 ? latest : undefined), () => true, 'an error for the broken file');
      expect(errors[0]).toContain('invalid label name "bad-name"');
      expect(latest?.flatMap((g) => g.targets)).toEqual(['a:1', 'a:3', 'b:2']);

      rmSync(join(sdDir, 'a.json'));
      await until(() => latest, (g) => g.flatMap((x) => x.targets).join() === 'b:2', 'the deleted file gone');
    } finally {
      sd.stop();
    }
  }, 30_000);
});
