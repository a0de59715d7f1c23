import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRuleFile, RuleFileError } from '../../alerting/index.js';

const PROMTOOL = '/usr/bin/promtool';

/** Invalid rule files: each problem names file, group and rule; promtool refuses the same files. */
const invalid: readonly (readonly [string, string, string])[] = [
  ['unparsable expression', 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n', 'r.yml: group "g", rule 1 (alert "A"): could not parse expression'],
  ['record and alert', 'groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        expr: up\n', "r.yml: group \"g\", rule 1 (alert \"A\"): only one of 'record' and 'alert' must be set"],
  ['neither', 'groups:\n  - name: g\n    rules:\n      - expr: up\n', "rule 1 (unnamed): one of 'record' or 'alert' must be set"],
  ['bad record name', 'groups:\n  - name: g\n    rules:\n      - record: 1bad\n        expr: up\n', 'rule 1 (record "1bad"): invalid recording rule name: 1bad'],
  ['annotations on a recording rule', 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        annotations: {a: b}\n', "invalid field 'annotations' in recording rule"],
  ['bad label name', 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {"a-b": c}\n', 'invalid label name: a-b'],
  ['bad template', 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations: {s: "{{ if }}"}\n', 'rule 1 (alert "A"): annotation "s": template: __alert_A: missing value for command'],
  ['repeated group', 'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n', 'groupname "g" is repeated in the same file'],
  ['bad duration', 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: soon\n', 'groups.0.rules.0.for: a duration'],
  ['unknown field', 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        severity: page\n', 'Unrecognized key: "severity"'],
  ['not YAML', 'groups: [\n', 'r.yml: not valid YAML'],
];

describe('rule files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rulefile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(invalid)('refuses %s, naming the place', (_name, text, message) => {
    let error: unknown;
    try {
      parseRuleFile('r.yml', text, 60_000);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuleFileError);
    expect((error as RuleFileError).message).toContain(message);
    if (existsSync(PROMTOOL)) {
      const file = join(dir, 'r.yml');
      writeFileSync(file, text);
      expect(spawnSync(PROMTOOL, ['check', 'rules', file]).status).toBe(1);
    }
  });

  it('reads groups, intervals and rules', () => {
    const [g] = parseRuleFile('r.yml', 'groups:\n  - name: g\n    interval: 30s\n    limit: 5\n    rules:\n      - record: r\n        expr: sum(up)\n      - alert: A\n        expr: up == 0\n        for: 5m\n        keep_firing_for: 1m\n', 60_000);
    expect(g).toMatchObject({ name: 'g', intervalMs: 30_000, limit: 5 });
    expect(g?.rules.map((r) => [r.kind, r.name, r.kind === 'alerting' ? [r.forMs, r.keepFiringForMs] : []])).toEqual([
      ['recording', 'r', []],
      ['alerting', 'A', [300_000, 60_000]],
    ]);
  });
});
