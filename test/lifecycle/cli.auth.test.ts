import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorClient, directorApi, directorApiPrefix, lifecycleCli } from '../../lifecycle/index.js';
import { dummyDirector } from './support.js';
import type { DummyRig } from './support.js';

/** The lifecycle CLI against a director behind a stand-in platform auth hook that wants `Bearer good`. */
let rig: DummyRig;
let app: FastifyInstance;
let base = '';

beforeAll(async () => {
  rig = dummyDirector();
  app = Fastify();
  app.addHook('onRequest', async (req, reply) => {
    const auth = req.headers.authorization;
    if (auth === undefined) return reply.status(401).send({ error: { code: 'unauthorized', message: 'no token' } });
    if (auth !== 'Bearer good') return reply.status(403).send({ error: { code: 'forbidden', message: 'not lifecycle' } });
    req.identity = { tenant: 'default', principal: { name: 'ops', id: 'tok-ops', scopes: ['lifecycle'], tenant: '*' } };
  });
  await app.register(directorApi, { prefix: directorApiPrefix, director: rig.director });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${directorApiPrefix}`;
});

afterAll(async () => {
  await app.close();
  await rig.close();
});

describe('lifecycle CLI authentication', () => {
  it.each([
    ['no token', undefined, /the director needs a token \(HTTP 401\): set VIGIL_TOKEN to a token with the lifecycle scope \(vigil token create --scope lifecycle --tenant '\*' --name ops\)/],
    ['a token without the scope', 'weak', /VIGIL_TOKEN may not do this \(HTTP 403\): set VIGIL_TOKEN/],
  ])('tells the user what to do with %s', async (_n, token, want) => {
    await expect(new DirectorClient(base, token).request('GET', '/deployments')).rejects.toThrow(want);
  });

  it('sends VIGIL_TOKEN as a bearer token; vigil audit lists who did what', async () => {
    await new DirectorClient(base, 'good').request('DELETE', '/deployments/nope').catch(() => undefined);
    const saved = { url: process.env['VIGIL_URL'], token: process.env['VIGIL_TOKEN'] };
    process.env['VIGIL_URL'] = base.slice(0, -directorApiPrefix.length);
    process.env['VIGIL_TOKEN'] = 'good';
    let out = '';
    let err = '';
    try {
      const code = await lifecycleCli['audit']?.run([], { out: (t) => void (out += t), err: (t) => void (err += t) });
      expect(err).toBe('');
      expect(code).toBe(0);
    } finally {
      for (const [k, v] of [['VIGIL_URL', saved.url], ['VIGIL_TOKEN', saved.token]] as const) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    expect(out).toMatch(/ops\s+delete_deployment\s+deployment nope\s+refused: deployment nope does not exist/);
  });
});
