import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { configSchema, createLogger } from '../../core/index.js';
import type { Engine } from '../../query/index.js';
import type { ServiceMap } from '../../bin/index.js';
import { allRoles } from '../../bin/index.js';
import { MemoryStore } from '../query/memoryStore.js';

/** The query role builds the one engine of the process and offers it to later roles (rules, alerting). */
describe('query role', () => {
  it('registers its engine as the service "engine"', async () => {
    const services = new Map<string, unknown>([['store', new MemoryStore().add('default', { labels: { __name__: 'up' }, samples: [{ t: 1000, v: 1 }] })]]);
    const serviceMap: ServiceMap = {
      get: <T>(name: string) => services.get(name) as T,
      has: (name) => services.has(name),
      set: (name, service) => void services.set(name, service),
    };
    const http = Fastify();
    const queryRole = allRoles.get('query');
    if (queryRole === undefined) throw new Error('no query role');
    const running = await queryRole.start({ config: configSchema.parse({}), logger: createLogger('silent'), registry: new Registry(), http, services: serviceMap });
    const engine = serviceMap.get<Engine>('engine');
    expect(engine.lookbackDeltaMs).toBe(5 * 60_000);
    const value = await engine.instantQuery({ querier: (minT, maxT) => (services.get('store') as MemoryStore).querier('default', minT, maxT) }, 'up', 1000);
    expect(value).toEqual({ resultType: 'vector', result: [{ labels: { __name__: 'up' }, t: 1000, v: 1 }] });
    await running.stop();
    await http.close();
  });
});
