import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { DEFAULT_MAX_JSON_DEPTH, quote, safeJsonBodyParser, VigilError } from '../../core/index.js';
import { anonymous } from '../director/index.js';
import type { Actor, AuditEntry, Director } from '../director/index.js';
import { loadReleaseTarball } from '../release/index.js';
import { directorErrorHandler, parseWith } from './errors.js';
import { agentOfRequest } from './agentAuth.js';
import { auditQuery, cckBody, deployBody, eventsQuery, healBody, heartbeatBody, instanceActionBody, tasksQuery } from './schemas.js';

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

/** Who asks: the principal the platform's auth hook set, or 'anonymous' when authentication is off. */
function actorOf(req: FastifyRequest): Actor {
  const p = req.identity?.principal;
  return p === null || p === undefined ? anonymous : { id: p.id, name: p.name };
}

/** Who a request refused for its credential was: nobody we know. */
const unauthenticated = { id: 'unauthenticated', name: 'unauthenticated' } as const;

/** An audit entry as the API shows it. */
function auditView(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    target: e.target,
    result: e.result,
    task_id: e.taskId,
    task_state: e.taskState,
    error: e.error,
    detail: e.detail,
  };
}

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

  /**
   * Runs one lifecycle action and writes the audit entry (who, what, result) whatever happens: a queued
   * task's id, or the refusal's message. Input validation runs inside, so bad requests are recorded too.
   */
  async function audited<T>(req: FastifyRequest, action: string, target: string, run: () => T | Promise<T>, detail: (r: T) => { taskId?: number; detail?: string; target?: string } = () => ({})): Promise<T> {
    recorded.add(req);
    const actor = actorOf(req);
    try {
      const r = await run();
      d.audit({ actor, action, target, result: 'accepted', ...detail(r) });
      return r;
    } catch (err) {
      d.audit({ actor, action, target, result: 'refused', error: (err as Error).message });
      throw err;
    }
  }
  const task = (taskId: number): { taskId: number } => ({ taskId });

  // Requests refused before any handler ran — no or a wrong credential, a body too large or too deep —
  // are attempts too: record every refused change, and every refused credential, that no handler did.
  const recorded = new WeakSet<FastifyRequest>();
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode < 400 || recorded.has(req) || req.routeOptions.url?.endsWith('/heartbeat') === true) return;
    if (req.method === 'GET' && reply.statusCode !== 401 && reply.statusCode !== 403) return;
    const actor = req.identity === undefined && reply.statusCode === 401 ? unauthenticated : actorOf(req);
    d.audit({ actor, action: `${req.method} ${req.routeOptions.url ?? req.url}`.slice(0, 200), target: req.url.split('?')[0]?.slice(0, 200) ?? '', result: 'refused', error: `HTTP ${reply.statusCode}` });
  });
  app.addContentTypeParser(['application/gzip', 'application/x-gzip', 'application/x-tar', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: 512 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.get('/openapi.yaml', async (_req, reply) => reply.type('application/yaml').send(openapiText()));
  app.get('/info', async () => ({ name: 'vigil-director', api: 'v1' }));

  app.get('/releases', async () => d.releases());
  app.post('/releases', async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) {
      const refusal = new VigilError('unsupported_media_type', 'send the release as a tarball (content-type application/gzip or application/x-tar)');
      return audited(req, 'upload_release', 'release', () => {
        throw refusal;
      });
    }
    const dir = mkdtempSync(join(tmpdir(), 'vigil-upload-'));
    try {
      const file = join(dir, 'release.tgz');
      writeFileSync(file, req.body);
      const summary = await audited(req, 'upload_release', 'release', async () => d.uploadRelease(await loadReleaseTarball(file)), (s) => ({ target: `release ${s.name}/${s.version}` }));
      return reply.status(201).send(summary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  app.get('/deployments', async () => d.deployments().map((x) => ({ name: x.name, releases: x.releases, instances: x.instances, updated_at: x.updatedAt })));
  app.post('/deployments', async (req, reply) => {
    const target = `deployment ${typeof (req.body as { deployment?: unknown } | null)?.deployment === 'string' ? (req.body as { deployment: string }).deployment.slice(0, 100) : '?'}`;
    const taskId = await audited(
      req,
      'deploy',
      target,
      () => {
        const b = parseWith(deployBody, req.body, 'body');
        return d.deploy(b.manifest, { dryRun: b.dry_run, ...(b.deployment !== undefined ? { expectName: b.deployment } : {}) });
      },
      (id) => ({ taskId: id, detail: d.task(id).description }),
    );
    return reply.status(202).send({ task_id: taskId });
  });
  app.get('/deployments/:name', async (req) => {
    const x = d.deployment(name(req.params));
    return { name: x.name, manifest: x.manifest, releases: x.releases, updated_at: x.updatedAt };
  });
  app.delete('/deployments/:name', async (req, reply) =>
    reply.status(202).send({ task_id: await audited(req, 'delete_deployment', `deployment ${name(req.params)}`, () => d.deleteDeployment(name(req.params)), task) }),
  );
  app.get('/deployments/:name/instances', async (req) => d.instances(name(req.params)));
  app.post('/deployments/:name/instances/actions', async (req, reply) => {
    const action = String((req.body as { action?: unknown } | null)?.action ?? 'instance_action').slice(0, 20);
    const taskId = await audited(req, action, `deployment ${name(req.params)}`, () => {
      const b = parseWith(instanceActionBody, req.body, 'body');
      return d.instanceCommand(name(req.params), b.action, b.target ?? null, b.reason ?? null);
    }, (id) => ({ taskId: id, detail: d.task(id).description }));
    return reply.status(202).send({ task_id: taskId });
  });
  app.post('/deployments/:name/heal', async (req, reply) => {
    const taskId = await audited(req, 'heal', `deployment ${name(req.params)}`, () => {
      const b = parseWith(healBody, req.body, 'body');
      return d.heal(name(req.params), b.instance, b.action, b.reason);
    }, (id) => ({ taskId: id, detail: d.task(id).description }));
    return reply.status(202).send({ task_id: taskId });
  });
  app.get('/deployments/:name/problems', async (req) => d.problems(name(req.params)));
  app.post('/deployments/:name/problems/resolve', async (req, reply) => {
    const taskId = await audited(req, 'cck_resolve', `deployment ${name(req.params)}`, () => {
      const b = parseWith(cckBody, req.body, 'body');
      return d.resolveProblems(name(req.params), b.resolutions, b.auto);
    }, (id) => ({ taskId: id, detail: JSON.stringify((d.task(id).args as { resolutions?: unknown }).resolutions ?? {}) }));
    return reply.status(202).send({ task_id: taskId });
  });
  app.get('/deployments/:name/health-events', async (req) => d.healthEvents(name(req.params)));

  app.get('/tasks', async (req) => {
    const q = parseWith(tasksQuery, req.query, 'query');
    return d.tasks({ ...(q.recent !== undefined ? { recent: q.recent } : {}), ...(q.deployment !== undefined ? { deployment: q.deployment } : {}), all: q.all === 'true' });
  });
  app.get('/tasks/:id', async (req) => d.task(id(req.params)));
  app.get('/tasks/:id/events', async (req) => d.taskEvents(id(req.params), parseWith(eventsQuery, req.query, 'query').after));
  app.delete('/tasks/:id', async (req, reply) => {
    await audited(req, 'cancel_task', `task ${String((req.params as { id: string }).id).slice(0, 20)}`, () => d.cancelTask(id(req.params)), () => ({ taskId: id(req.params) }));
    return reply.status(204).send();
  });

  app.get('/audit', async (req) => {
    const q = parseWith(auditQuery, req.query, 'query');
    const entries = d.auditLog({ limit: q.limit, ...(q.before !== undefined ? { before: q.before } : {}) });
    const last = entries[entries.length - 1];
    // A full page may have more behind it: `next_before` asks for it.
    return { entries: entries.map(auditView), next_before: entries.length === q.limit && last !== undefined ? last.id : null };
  });

  // Agents hold ingest-scoped credentials of their own, not the lifecycle scope of the rest of this API;
  // the platform's authentication hook reads this route's scope from its config.
  app.post('/agents/:agentId/heartbeat', { config: { scope: 'ingest' } }, async (req, reply) => {
    const agentId = (req.params as { agentId: string }).agentId;
    // The agent's own credential is checked here whether or not the platform authenticates requests,
    // so a forged heartbeat (which would hide a dead VM from the resurrector) is refused even with auth off.
    const refusal = agentOfRequest(req, agentId, d.agentCredentials());
    if (refusal !== null) return reply.status(401).header('www-authenticate', 'Bearer').send({ error: { code: 'unauthorized', message: refusal } });
    const b = parseWith(heartbeatBody, req.body, 'body');
    if (b.agent_id !== agentId) throw new VigilError('bad_data', `body.agent_id ${quote(b.agent_id)} does not match the URL's agent ${quote(agentId)}`);
    d.heartbeat(agentId, b);
    return reply.status(204).send();
  });
};
