import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Event, LogRecord, WriteRequest } from '../../core/index.js';
import { formatZodIssues, isVigilError, parseJsonSafely, requestTenant, VigilError } from '../../core/index.js';
import { createReceiverMetrics } from '../listeners/receiverMetrics.js';
import type { TextImportOptions } from '../listeners/textBody.js';
import { bodyText, forEachLine, MAX_NAMED_LINES, registerTextBody, sendText } from '../listeners/textBody.js';
import { eventFromJson } from './kubernetesEvent.js';
import type { JsonLineFields } from './jsonLineToLogRecord.js';
import { DEFAULT_JSON_LINE_FIELDS, jsonLineToLogRecord } from './jsonLineToLogRecord.js';

/** The JSON lines import takes what every line-oriented import takes. */
export type JsonLinesOptions = TextImportOptions;

/** VictoriaLogs' query arguments of /insert/jsonline: comma-separated field names. */
const jsonlineQuery = z
  .object({
    _msg_field: z.string().max(1024).optional(),
    _time_field: z.string().max(1024).optional(),
    _stream_fields: z.string().max(4096).optional(),
  })
  .loose();

function fieldList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return list.length > 0 ? list : undefined;
}

/**
 * JSON lines, one object per line (gzip allowed):
 * - POST /insert/jsonline — log lines, as VictoriaLogs takes them (`_msg_field`, `_time_field`,
 *   `_stream_fields` query arguments; see jsonLineToLogRecord);
 * - POST /api/v1/import/events — Kubernetes Event objects as the API server returns them
 *   (`kubectl get events -o json` — one EventList — is accepted too), or Vigil's own events.
 * 204 when every line was stored; 400 naming the first bad lines by number (the good ones are
 * stored); 429 with Retry-After when the bus pushes back.
 */
export async function jsonLinesRoutes(app: FastifyInstance, options: JsonLinesOptions): Promise<void> {
  const { pipeline, limits, defaultTenant } = options;
  const now = options.now ?? Date.now;
  registerTextBody(app, limits, createReceiverMetrics(options.registry), (url) => (url.startsWith('/insert/') ? 'jsonline' : 'events'));

  async function importLines<T>(request: FastifyRequest, reply: FastifyReply, objects: (text: string) => Iterable<[Record<string, unknown> | Error, string]>, map: (o: Record<string, unknown>, where: string) => T, toRequest: (tenant: string, items: T[]) => WriteRequest): Promise<FastifyReply> {
    const tenant = requestTenant(request, defaultTenant);
    const text = await bodyText(request, limits);
    const items: T[] = [];
    const errors: string[] = [];
    let bad = 0;
    for (const [obj, where] of objects(text)) {
      try {
        if (obj instanceof Error) throw obj;
        items.push(map(obj, where));
      } catch (err) {
        if (!isVigilError(err)) throw err;
        bad++;
        if (errors.length < MAX_NAMED_LINES) errors.push(err.message.startsWith(where) ? err.message : `${where}: ${err.message}`);
      }
    }
    let rejected = '';
    if (items.length > 0) {
      const result = await pipeline.push(toRequest(tenant, items));
      if (result.rejected.logs + result.rejected.events > 0) rejected = result.errorMessage;
    }
    if (bad > 0 || rejected !== '') {
      const parts = [...errors, ...(bad > errors.length ? [`${bad - errors.length} more bad lines`] : []), ...(rejected === '' ? [] : [rejected])];
      return sendText(reply, 400, `${bad} of ${items.length + bad} lines could not be read${rejected === '' ? '' : ', some records were rejected'}: ${parts.join('; ')}`);
    }
    return reply.code(204).send();
  }

  const lines = (text: string): Iterable<[Record<string, unknown> | Error, string]> => {
    const out: [Record<string, unknown> | Error, string][] = [];
    forEachLine(text, (line, n) => out.push([parseObject(line, `line ${n}`, limits.maxJsonDepth), `line ${n}`]));
    return out;
  };

  app.post('/insert/jsonline', { bodyLimit: limits.maxRequestBytes }, async (request, reply) => {
    const q = jsonlineQuery.safeParse(request.query);
    if (!q.success) throw new VigilError('bad_data', formatZodIssues(q.error.issues, 'query'));
    const fields: JsonLineFields = {
      msg: fieldList(q.data._msg_field) ?? DEFAULT_JSON_LINE_FIELDS.msg,
      time: fieldList(q.data._time_field) ?? DEFAULT_JSON_LINE_FIELDS.time,
      stream: fieldList(q.data._stream_fields) ?? DEFAULT_JSON_LINE_FIELDS.stream,
    };
    const receivedAtNs = BigInt(now()) * 1_000_000n;
    return importLines<LogRecord>(
      request,
      reply,
      lines,
      (o) => jsonLineToLogRecord(o, fields, receivedAtNs),
      (tenant, logs) => ({ tenant, series: [], metadata: [], logs, events: [] }),
    );
  });

  app.post('/api/v1/import/events', { bodyLimit: limits.maxRequestBytes }, async (request, reply) =>
    importLines<Event>(
      request,
      reply,
      (text) => eventObjects(text, limits.maxJsonDepth, lines),
      (o, where) => eventFromJson(o, where),
      (tenant, events) => ({ tenant, series: [], metadata: [], logs: [], events }),
    ),
  );
}

/** One line (or body) as a JSON object, or the error that says why it is not one; `where` names it. */
function parseObject(line: string, where: string, maxDepth: number): Record<string, unknown> | Error {
  try {
    const v = parseJsonSafely(line, { maxDepth, what: where });
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return new VigilError('bad_data', `${where}: expected a JSON object`);
    return v as Record<string, unknown>;
  } catch (err) {
    return isVigilError(err) ? err : new VigilError('bad_data', `${where}: ${(err as Error).message}`);
  }
}

/** A whole-body Kubernetes List (`kubectl get events -o json`) or Event, else JSON lines. */
function eventObjects(text: string, maxDepth: number, lines: (text: string) => Iterable<[Record<string, unknown> | Error, string]>): Iterable<[Record<string, unknown> | Error, string]> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && trimmed.indexOf('\n') >= 0) {
    const whole = parseObject(text, 'body', maxDepth);
    if (!(whole instanceof Error)) {
      if (Array.isArray(whole.items)) {
        return (whole.items as unknown[]).map((item, i): [Record<string, unknown> | Error, string] =>
          typeof item === 'object' && item !== null && !Array.isArray(item) ? [item as Record<string, unknown>, `items[${i}]`] : [new VigilError('bad_data', `items[${i}]: expected an Event object`), `items[${i}]`],
        );
      }
      return [[whole, 'body']];
    }
  }
  return lines(text);
}
