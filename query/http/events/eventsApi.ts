import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Event } from '../../../core/index.js';
import { capMessage, DEFAULT_TENANT, requestTenant, VigilError } from '../../../core/index.js';
import type { LabelMatcher } from '../../../storage/index.js';
import type { QueryableStore } from '../../engine/index.js';
import { toPromError } from '../apiError.js';
import { MAX_TIME_MS, MIN_TIME_MS, parseTimeMs } from '../params.js';
import { requestSignal } from '../requestSignal.js';

export interface EventsApiOptions {
  readonly store: QueryableStore;
  readonly defaultTenant?: string;
  readonly queryTimeoutMs?: number;
  readonly now?: () => number;
}

/** Most events one page may hold. */
export const MAX_EVENTS_PAGE = 1000;
/** Longest a filter value may be. */
const MAX_FILTER_LENGTH = 1024;

const filter = z.string().max(MAX_FILTER_LENGTH).optional();
const querySchema = z.object({
  start: z.string().max(64).optional(),
  end: z.string().max(64).optional(),
  namespace: filter,
  kind: filter,
  name: filter,
  uid: filter,
  reason: filter,
  type: z.enum(['Normal', 'Warning']).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(100),
  cursor: z.string().max(256).optional(),
});

/** A page's position: the range the first page fixed, and how many events came before. */
const cursorSchema = z.object({ s: z.number().int(), e: z.number().int(), o: z.number().int().min(0) });

/**
 * GET /api/v1/events: the tenant's events (Kubernetes-style: reason, type, involved object)
 * overlapping [start, end] (default the last hour), filtered by namespace, involved object
 * (kind, name, uid), reason and type, newest first, `limit` per page. `nextCursor` (absent on
 * the last page) fetches the next page of the same range, so new events never shift a page.
 */
export const eventsApi: FastifyPluginAsync<EventsApiOptions> = async (app, opts) => {
  const now = opts.now ?? Date.now;
  app.get('/api/v1/events', async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const parsed = querySchema.safeParse(req.query);
      if (!parsed.success) throw new VigilError('bad_data', `invalid parameter ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const q = parsed.data;
      let startMs: number;
      let endMs: number;
      let offset = 0;
      if (q.cursor !== undefined) {
        ({ s: startMs, e: endMs, o: offset } = decodeCursor(q.cursor));
      } else {
        endMs = q.end === undefined ? now() : timeOf('end', q.end);
        startMs = q.start === undefined ? endMs - 3600_000 : timeOf('start', q.start);
      }
      if (endMs < startMs) throw new VigilError('bad_data', 'end timestamp must not be before start time');
      const matchers: LabelMatcher[] = [];
      for (const name of ['namespace', 'kind', 'name', 'uid', 'reason', 'type'] as const) {
        const value = q[name];
        if (value !== undefined) matchers.push({ type: '=', name, value });
      }
      const tenant = requestTenant(req, opts.defaultTenant ?? DEFAULT_TENANT);
      const signal = requestSignal(reply, opts.queryTimeoutMs ?? 120_000);
      const events = await opts.store.querier(tenant, startMs, endMs, { signal }).selectEvents({ matchers, limit: q.limit + 1, offset });
      const page = events.slice(0, q.limit);
      const next = events.length > q.limit ? encodeCursor({ s: startMs, e: endMs, o: offset + q.limit }) : undefined;
      return reply.send({ status: 'success', data: { events: page.map(eventJson), ...(next === undefined ? {} : { nextCursor: next }) } });
    } catch (err) {
      const e = toPromError(err);
      return reply.code(e.status).send({ status: 'error', errorType: e.errorType, error: capMessage(e.message) });
    }
  });
};

function timeOf(name: string, text: string): number {
  const ms = parseTimeMs(text);
  if (ms === undefined || ms < MIN_TIME_MS || ms > MAX_TIME_MS) throw new VigilError('bad_data', `invalid parameter "${name}": cannot parse ${JSON.stringify(text)} to a valid timestamp`);
  return ms;
}

function encodeCursor(c: z.infer<typeof cursorSchema>): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new VigilError('bad_data', 'invalid parameter "cursor": not a cursor this API returned');
  }
}

function eventJson(e: Event): Record<string, unknown> {
  return {
    reason: e.reason,
    type: e.type,
    involvedObject: e.involvedObject,
    message: e.message,
    count: e.count,
    firstSeen: new Date(e.firstSeenMs).toISOString(),
    lastSeen: new Date(e.lastSeenMs).toISOString(),
    source: e.source,
    labels: e.labels,
  };
}
