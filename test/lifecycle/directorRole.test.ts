import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { directorRole } from '../../bin/index.js';
import type { ServiceMap } from '../../bin/index.js';
import { loadConfig } from '../../core/index.js';
import { quiet, tmp } from './support.js';

const work = tmp('role');
afterAll(() => work.cleanup());

function services(): ServiceMap {
  const m = new Map<string, unknown>();
  return { get: <T>(n: string) => m.get(n) as T, has: (n) => m.has(n), set: (n, s) => void m.set(n, s) };
}

describe('directorRole', () => {
  it('serves the director API on the shared HTTP server, offers the director as a service, stops idempotently', async () => {
    const http = Fastify();
    const config = loadConfig({ flags: { dataDir: work.dir, director: { cpi: 'dummy', network: '127.75.1.0/24' } } });
    const svc = services();
    const running = await directorRole.start({ config, logger: quiet, registry: new Registry(), http, services: svc });
    await http.ready();
    const res = await http.inject({ method: 'GET', url: '/api/v1/director/info' });
    expect(res.json()).toEqual({ name: 'vigil-director', api: 'v1' });
    expect(svc.has('director')).toBe(true);
    expect(running.ready?.()).toBe(true);
    await running.stop();
    await running.stop();
    await http.close();
  });

  it('does nothing when the director is disabled', async () => {
    const http = Fastify();
    const config = loadConfig({ flags: { dataDir: work.dir, director: { enabled: false } } });
    const running = await directorRole.start({ config, logger: quiet, registry: new Registry(), http, services: services() });
    await http.ready();
    expect((await http.inject({ method: 'GET', url: '/api/v1/director/info' })).statusCode).toBe(404);
    await running.stop();
    await http.close();
  });
});
