import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { DEFAULT_MAX_JSON_DEPTH, quote, safeJsonBodyParser, VigilError } from '../../core/index.js';
import type { Director } from '../director/index.js';
import { loadReleaseTarball } from '../release/index.js';
import { directorErrorHandler, parseWith } from './errors.js';
import { cckBody, deployBody, eventsQuery, healBody, heartbeatBody, instanceActionBody, tasksQuery } from './schemas.js';

export interface DirectorApiOptions {
  readonly director: Director;
  /** Deepest JSON body accepted (default 64 levels); deeper ones get a 400 naming the path. */
  readonly maxJsonDepth?: number;
}

export const directorApiPrefix = '/api/v1/director';

function openapiText(): string {
  for (const rel of ['../../docs/openapi/lifecycle.yaml', '../../../docs/openapi/lifecycle.yaml']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return readFileSync(p, 'utf8');
  }
  throw new VigilError('not_found', 'docs/openapi/lifecycle.yaml is not installed next to this build');
}

const id = (params: unknown): number => {
  const n = Number((params as { id: string }).id);
  if (!Number.isInteger(n) || n <= 0) throw new VigilError('bad_data', 'id: expected a task number');
  return n;
};
const name = (params: unknown): string => (params as { name: string }).name;

/**
 * The director's HTTP API (documented in docs/openapi/lifecycle.yaml). Register with a prefix, normally
 * /api/v1/director. Long actions answer 202 with a task id; follow it at /tasks/{id}/events.
 */
export const directorApi: FastifyPluginAsync<DirectorApiOptions> = async (app: FastifyInstance, opts) => {
  const d = opts.director;
  app.setErrorHandler(directorErrorHandler);
  // Depth-checked JSON whatever app hosts this plugin (the platform's server or `vigil director`'s own).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, safeJsonBodyParser({ maxDepth: opts.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH }));
  app.addContentTypeParser(['application/gzip', 'application/x-gzip', 'application/x-tar', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: 512 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.get('/openapi.yaml', async (_req, reply) => reply.type('application/yaml').send(openapiText()));
  app.get('/info', async () => ({ name: 'vigil-director', api: 'v1' }));

  app.get('/releases', async () => d.releases());
  app.post('/releases', async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) throw new VigilError('unsupported_media_type', 'send the release as a tarball (content-type application/gzip or application/x-tar)');
    const dir = mkdtempSync(join(tmpdir(), 'vigil-upload-'));
    try {
      const file = join(dir, 'release.tgz');
      writeFileSync(file, req.body);
      const summary = d.uploadRelease(await loadReleaseTarball(file));
      return reply.status(201).send(summary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  app.get('/deployments', async () => d.deployments().map((x) => ({ name: x.name, releases: x.releases, instances: x.instances, updated_at: x.updatedAt })));
  app.post('/deployments', async (req, reply) => {
    const b = parseWith(deployBody, req.body, 'body');
    const taskId = d.deploy(b.manifest, { dryRun: b.dry_run, ...(b.deployment !== undefined ? { expectName: b.deployment } : {}) });
    return reply.status(202).send({ task_id: taskId });
  });
  app.get('/deployments/:name', async (req) => {
    const x = d.deployment(name(req.params));
    return { name: x.name, manifest: x.manifest, releases: x.releases, updated_at: x.updatedAt };
  });
  app.delete('/deployments/:name', async (req, reply) => reply.status(202).send({ task_id: d.deleteDeployment(name(req.params)) }));
  app.get('/deployments/:name/instances', async (req) => d.instances(name(req.params)));
  app.post('/deployments/:name/instances/actions', async (req, reply) => {
    const b = parseWith(instanceActionBody, req.body, 'body');
    return reply.status(202).send({ task_id: d.instanceCommand(name(req.params), b.action, b.target ?? null, b.reason ?? null) });
  });
  app.post('/deployments/:name/heal', async (req, reply) => {
    const b = parseWith(healBody, req.body, 'body');
    return reply.status(202).send({ task_id: d.heal(name(req.params), b.instance, b.action, b.reason) });
  });
  app.get('/deployments/:name/problems', async (req) => d.problems(name(req.params)));
  app.post('/deployments/:name/problems/resolve', async (req, reply) => {
    const b = parseWith(cckBody, req.body, 'body');
    return reply.status(202).send({ task_id: d.resolveProblems(name(req.params), b.resolutions, b.auto) });
  });
  app.get('/deployments/:name/health-events', async (req) => d.healthEvents(name(req.params)));

  app.get('/tasks', async (req) => {
    const q = parseWith(tasksQuery, req.query, 'query');
    return d.tasks({ ...(q.recent !== undefined ? { recent: q.recent } : {}), ...(q.deployment !== undefined ? { deployment: q.deployment } : {}), all: q.all === 'true' });
  });
  app.get('/tasks/:id', async (req) => d.task(id(req.params)));
  app.get('/tasks/:id/events', async (req) => d.taskEvents(id(req.params), parseWith(eventsQuery, req.query, 'query').after));
  app.delete('/tasks/:id', async (req, reply) => {
    d.cancelTask(id(req.params));
    return reply.status(204).send();
  });

  app.post('/agents/:agentId/heartbeat', async (req, reply) => {
    const agentId = (req.params as { agentId: string }).agentId;
    const b = parseWith(heartbeatBody, req.body, 'body');
    if (b.agent_id !== agentId) throw new VigilError('bad_data', `body.agent_id ${quote(b.agent_id)} does not match the URL's agent ${quote(agentId)}`);
    d.heartbeat(agentId, b);
    return reply.status(204).send();
  });
};
