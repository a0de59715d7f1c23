import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../lifecycle/index.js';
import { resolveMaxInFlight } from '../../lifecycle/manifest/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { etcdManifest, repoRoot } from './support.js';

const good = `name: etcd
releases:
  - {name: etcd, version: latest}
update:
  canaries: 1
  max_in_flight: 25%
  canary_watch_time: 1000-30000
  update_watch_time: 5000
instance_groups:
  - name: etcd
    instances: 3
    vm_type: small
    networks: [{name: default}]
    jobs:
      - name: etcd
        release: etcd
`;

describe('manifest', () => {
  it('parses the example manifest and fills defaults', () => {
    const m = parseManifest(readFileSync(join(repoRoot, 'examples/etcd/manifest.yml'), 'utf8'));
    expect(m.name).toBe('etcd');
    expect(m.instance_groups[0]?.instances).toBe(3);
    expect(m.update.canary_watch_time).toEqual({ minMs: 1000, maxMs: 30000 });
    expect(m.update.serial).toBe(true);
  });

  it('reads watch times as a single value or a range, and max_in_flight as a count or a share', () => {
    const m = parseManifest(good);
    expect(m.update.canary_watch_time).toEqual({ minMs: 1000, maxMs: 30000 });
    expect(m.update.update_watch_time).toEqual({ minMs: 5000, maxMs: 5000 });
    expect(m.instance_groups[0]?.azs).toEqual(['z1']);
    expect(m.instance_groups[0]?.persistent_disk).toBe(0);
  });

  it.each([
    [2, 10, 2],
    ['25%', 10, 3],
    ['100%', 3, 3],
    ['1%', 3, 1],
  ] as const)('max_in_flight %s of %i instances is %i', (v, size, want) => {
    expect(resolveMaxInFlight(v, size)).toBe(want);
  });

  // Each bad manifest names the path in the YAML, its line, and what was expected.
  it.each([
    ['not YAML', 'name: [unclosed', /not valid YAML/],
    ['a list at the top', '- a\n- b', /expected a mapping at the top level/],
    ['missing update', good.replace(/update:[\s\S]*?instance_groups:/, 'instance_groups:'), /update \(line 1, col 1\): Invalid input: expected object, received undefined/],
    ['instances not a number', good.replace('instances: 3', 'instances: three'), /instance_groups\.0\.instances \(line 11, col 16\): Invalid input: expected number, received string/],
    ['a typo in a key', good.replace('vm_type: small', 'vm_typ: small'), /instance_groups\.0\.vm_type \(line 10, col 5\): Invalid input: expected string, received undefined; instance_groups\.0 \(line 10, col 5\): Unrecognized key: "vm_typ"/],
    ['a bad percentage', good.replace('max_in_flight: 25%', 'max_in_flight: 250%'), /update\.max_in_flight \(line 6, col 18\): .*percentage between 1% and 100%/],
    ['a backwards range', good.replace('1000-30000', '30000-1000'), /update\.canary_watch_time \(line 7, col 22\): range 30000-1000: the end is before the start/],
    ['a job from an unlisted release', good.replace('release: etcd', 'release: kafka'), /instance_groups\.0\.jobs\.0\.release \(line 16, col 18\): release "kafka" is not listed under releases/],
    ['static IPs that do not match the count', good.replace('networks: [{name: default}]', 'networks: [{name: default, static_ips: [127.0.0.2]}]'), /instance_groups\.0\.networks\.0\.static_ips.*1 static IPs for 3 instances/],
    ['a bad name', good.replace('name: etcd\n', 'name: "my deployment"\n'), /^manifest is invalid: name \(line 1, col 7\): a name of letters/],
    ['an unknown variable type', `${good}variables:\n  - {name: x, type: rsa}\n`, /variables\.0\.type \(line 18, col 21\): Invalid option: expected one of "password"\|"certificate"/],
  ])('rejects %s', (_name, text, want) => {
    expect(() => parseManifest(text)).toThrow(want);
  });

  it('reports every problem at once', () => {
    const text = good.replace('instances: 3', 'instances: -1').replace('canaries: 1', 'canaries: x');
    expect(() => parseManifest(text)).toThrow(/update\.canaries.*; instance_groups\.0\.instances/);
  });

  it('accepts what the test support generates', () => {
    expect(parseManifest(etcdManifest()).instance_groups[0]?.jobs[0]?.properties).toEqual({ etcd: { client_port: 2379 } });
  });
});
