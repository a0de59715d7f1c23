import { describe, expect, it } from 'vitest';
import { updateGroup, updateGroups } from '../../lifecycle/index.js';
import type { UpdateUnit } from '../../lifecycle/index.js';
import type { UpdateConfig } from '../../lifecycle/manifest/index.js';

/** Units that log start/end and take a little time, so overlaps show. */
function units(names: readonly string[], log: string[], fail: ReadonlySet<string> = new Set()): UpdateUnit[] {
  return names.map((name) => ({
    name,
    async run(_watch, canary) {
      log.push(`start ${name}${canary ? ' canary' : ''}`);
      await new Promise((r) => setTimeout(r, 15));
      log.push(`end ${name}`);
      if (fail.has(name)) throw new Error(`${name} broke`);
    },
  }));
}

const cfg = (canaries: number, max: number | string, serial = true): UpdateConfig => ({
  canaries,
  max_in_flight: max as UpdateConfig['max_in_flight'],
  canary_watch_time: { minMs: 0, maxMs: 0 },
  update_watch_time: { minMs: 0, maxMs: 0 },
  serial,
});

/** The highest number of units running at once. */
function peak(log: readonly string[]): number {
  let now = 0;
  let max = 0;
  for (const l of log) {
    now += l.startsWith('start') ? 1 : -1;
    max = Math.max(max, now);
  }
  return max;
}

describe('update executor', () => {
  it('canaries 1, max_in_flight 1: one at a time, canary first', async () => {
    const log: string[] = [];
    await updateGroup('g', units(['a/0', 'a/1', 'a/2'], log), cfg(1, 1), 3);
    expect(log).toEqual(['start a/0 canary', 'end a/0', 'start a/1', 'end a/1', 'start a/2', 'end a/2']);
  });

  it.each([
    [2, 2, 5, 2],
    [1, 3, 5, 3],
    [1, '50%', 6, 3],
    [0, '100%', 4, 4],
  ] as const)('canaries %i, max_in_flight %s over %i instances: at most %i at once, canaries before the rest', async (canaries, max, n, want) => {
    const log: string[] = [];
    const names = Array.from({ length: n }, (_v, i) => `g/${i}`);
    await updateGroup('g', units(names, log), cfg(canaries, max), n);
    expect(peak(log)).toBe(want);
    const lastCanaryEnd = Math.max(...names.slice(0, canaries).map((x) => log.indexOf(`end ${x}`)));
    const firstOther = Math.min(...names.slice(canaries).map((x) => log.indexOf(`start ${x}`)));
    expect(lastCanaryEnd).toBeLessThan(firstOther);
    expect(log.filter((l) => l.endsWith('canary'))).toHaveLength(canaries);
  });

  it('a failed canary stops the group: nothing else starts', async () => {
    const log: string[] = [];
    await expect(updateGroup('g', units(['g/0', 'g/1', 'g/2'], log, new Set(['g/0'])), cfg(1, 1), 3)).rejects.toThrow(
      'canary failed in g: g/0 broke; update stopped, 2 other instance(s) left untouched',
    );
    expect(log).toEqual(['start g/0 canary', 'end g/0']);
  });

  it('a failure after the canaries lets running ones finish and starts no new ones', async () => {
    const log: string[] = [];
    await expect(updateGroup('g', units(['g/0', 'g/1', 'g/2', 'g/3', 'g/4'], log, new Set(['g/1'])), cfg(1, 2), 5)).rejects.toThrow(/update of g failed: g\/1 broke/);
    expect(log).toContain('end g/2');
    expect(log).not.toContain('start g/3');
    expect(log).not.toContain('start g/4');
  });

  it('serial groups go one after another; parallel ones overlap', async () => {
    const serial: string[] = [];
    await updateGroups(
      [
        { name: 'a', units: units(['a/0'], serial), update: cfg(0, 1), size: 1 },
        { name: 'b', units: units(['b/0'], serial), update: cfg(0, 1), size: 1 },
      ],
      true,
    );
    expect(serial).toEqual(['start a/0', 'end a/0', 'start b/0', 'end b/0']);
    const parallel: string[] = [];
    await updateGroups(
      [
        { name: 'a', units: units(['a/0'], parallel), update: cfg(0, 1), size: 1 },
        { name: 'b', units: units(['b/0'], parallel), update: cfg(0, 1), size: 1 },
      ],
      false,
    );
    expect(peak(parallel)).toBe(2);
  });
});
