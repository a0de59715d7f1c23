import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { formatZodIssues } from '../../core/index.js';
import type { NotifierAlert } from '../rules/index.js';
import type { AmMatcher } from './amMatchers.js';
import { parseMatcher } from './amMatchers.js';
import type { AlertView, Dispatcher } from './dispatcher.js';
import type { Silence, Silences } from './silences.js';
import { postableSilenceSchema } from './silences.js';

/** Most alerts one POST /api/v2/alerts may carry. */
const MAX_ALERTS_PER_POST = 10_000;

const postableAlertsSchema = z
  .array(
    z.object({
      labels: z.record(z.string(), z.string()).refine((l) => Object.keys(l).length > 0, 'an alert needs at least one label'),
      annotations: z.record(z.string(), z.string()).default({}),
      startsAt: z.iso.datetime({ offset: true }).optional(),
      endsAt: z.iso.datetime({ offset: true }).optional(),
      generatorURL: z.string().max(4096).default(''),
    }),
  )
  .max(MAX_ALERTS_PER_POST);

export interface AlertmanagerApiOptions {
  /** The running dispatcher (it is rebuilt on reload, hence a getter). */
  readonly dispatcher: () => Dispatcher | undefined;
  readonly silences: Silences;
  /** Which routes to register: the reads (GET) or the writes (POST, DELETE), so each sits in its own scope group. */
  readonly part: 'read' | 'write';
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  // Alertmanager answers bad input with a JSON string body and 400.
  return reply.code(400).type('application/json').send(JSON.stringify(message));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function silenceJson(s: Silence, silences: Silences): unknown {
  return { id: s.id, status: { state: silences.state(s) }, updatedAt: iso(s.updatedAt), matchers: s.matchers, startsAt: iso(s.startsAt), endsAt: iso(s.endsAt), createdBy: s.createdBy, comment: s.comment };
}

function alertJson(a: AlertView): unknown {
  return {
    labels: a.labels,
    annotations: a.annotations,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    updatedAt: iso(Date.now()),
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
    receivers: a.receivers.map((name) => ({ name })),
    status: { state: a.state, silencedBy: a.silencedBy, inhibitedBy: [] },
  };
}

function filterOf(values: unknown): AmMatcher[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.map((v) => parseMatcher(String(v)));
}

/**
 * The part of Alertmanager's API v2 that amtool and Grafana use, over Vigil's dispatcher:
 * GET/POST /api/v2/alerts, GET/POST /api/v2/silences, GET/DELETE /api/v2/silence/:id, GET /api/v2/status.
 */
export const alertmanagerApi: FastifyPluginAsync<AlertmanagerApiOptions> = async (app, opts) => {
  const { silences } = opts;
  if (opts.part === 'read') {
    app.get('/api/v2/status', async () => ({
      cluster: { status: 'disabled', peers: [] },
      versionInfo: { version: 'vigil', revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' },
      config: { original: '' },
      uptime: new Date().toISOString(),
    }));
    app.get('/api/v2/alerts', async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      let filter: AmMatcher[];
      try {
        filter = filterOf(q.filter);
      } catch (err) {
        return badRequest(reply, (err as Error).message);
      }
      const flag = (name: string): boolean => q[name] === undefined || String(q[name]) !== 'false';
      const now = Date.now();
      const alerts = (opts.dispatcher()?.alertViews() ?? [])
        .filter((a) => a.endsAt > now)
        .filter((a) => filter.every((m) => m.test(a.labels[m.name] ?? '')))
        .filter((a) => (a.state === 'active' ? flag('active') : (a.silencedBy.length > 0 && flag('silenced')) || (a.inhibited && flag('inhibited'))));
      return reply.type('application/json').send(JSON.stringify(alerts.map(alertJson)));
    });
    app.get('/api/v2/silences', async (req, reply) => {
      let filter: AmMatcher[];
      try {
        filter = filterOf((req.query as Record<string, unknown>).filter);
      } catch (err) {
        return badRequest(reply, (err as Error).message);
      }
      const list = silences.list().filter((s) => filter.every((f) => s.matchers.some((m) => m.name === f.name && f.test(m.value))));
      return reply.type('application/json').send(JSON.stringify(list.map((s) => silenceJson(s, silences))));
    });
    app.get('/api/v2/silence/:id', async (req, reply) => {
      const s = silences.get((req.params as { id: string }).id);
      if (s === undefined) return reply.code(404).send();
      return reply.type('application/json').send(JSON.stringify(silenceJson(s, silences)));
    });
    return;
  }
  app.post('/api/v2/alerts', async (req, reply) => {
    const parsed = postableAlertsSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, formatZodIssues(parsed.error.issues));
    const now = new Date().toISOString();
    const alerts: NotifierAlert[] = parsed.data.map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt ?? now, endsAt: a.endsAt ?? '', generatorURL: a.generatorURL }));
    opts.dispatcher()?.receive(alerts);
    return reply.code(200).send();
  });
  app.post('/api/v2/silences', async (req, reply) => {
    const parsed = postableSilenceSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, formatZodIssues(parsed.error.issues));
    try {
      return reply.type('application/json').send(JSON.stringify({ silenceID: silences.upsert(parsed.data) }));
    } catch (err) {
      return badRequest(reply, (err as Error).message);
    }
  });
  app.delete('/api/v2/silence/:id', async (req, reply) => {
    if (!silences.expire((req.params as { id: string }).id)) return reply.code(404).send();
    return reply.code(200).send();
  });
};
