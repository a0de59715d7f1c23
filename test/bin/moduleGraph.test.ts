import { describe, expect, it } from 'vitest';
import type { Role, RoleContext } from '../../bin/index.js';
import { resolveModules, startModules } from '../../bin/index.js';

function role(name: string, dependsOn: string[], log: string[], fail = false): Role {
  return {
    name,
    dependsOn,
    async start() {
      if (fail) throw new Error(`${name} broke`);
      log.push(`start ${name}`);
      return { stop: async () => void log.push(`stop ${name}`) };
    },
  };
}

const targets = new Map([['all', ['ingest', 'writer', 'query']]]);

describe('resolveModules', () => {
  const log: string[] = [];
  const roles = new Map(
    [role('bus', [], log), role('store', [], log), role('ingest', ['bus'], log), role('writer', ['bus', 'store'], log), role('query', ['store'], log)].map((r) => [r.name, r]),
  );
  it.each([
    [['all'], ['bus', 'ingest', 'store', 'writer', 'query']],
    [['query'], ['store', 'query']],
    [['ingest', 'writer'], ['bus', 'ingest', 'store', 'writer']],
    [['writer', 'writer'], ['bus', 'store', 'writer']],
  ])('%j starts %j in dependency order', (requested, expected) => {
    expect(resolveModules(requested, roles, targets).map((r) => r.name)).toEqual(expected);
  });
  it('names unknown roles and lists the known ones', () => {
    expect(() => resolveModules(['quary'], roles, targets)).toThrow(/unknown role "quary" \(known: all, bus, ingest, query, store, writer\)/);
  });
  it('detects cycles', () => {
    const cyclic = new Map([role('a', ['b'], log), role('b', ['a'], log)].map((r) => [r.name, r]));
    expect(() => resolveModules(['a'], cyclic, new Map())).toThrow(/cycle: a → b → a/);
  });
});

describe('startModules', () => {
  const ctx = {} as RoleContext;
  it('stops in reverse order', async () => {
    const log: string[] = [];
    const started = await startModules([role('a', [], log), role('b', ['a'], log)], ctx, () => undefined);
    await started.stop();
    await started.stop(); // idempotent
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });
  it('stops what started when a later role fails, and names the failing role', async () => {
    const log: string[] = [];
    await expect(startModules([role('a', [], log), role('b', [], log, true)], ctx, () => undefined)).rejects.toThrow(/role b failed to start: b broke/);
    expect(log).toEqual(['start a', 'stop a']);
  });
});
