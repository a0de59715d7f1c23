import { gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import type { Labels, Limits } from '../../core/index.js';
import { capMessage, httpStatusOf, isValidLabelName, isVigilError, quote, requestTenant, VigilError } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { ExpositionError } from './expositionError.js';
import { expositionFormatOf } from './expositionFormat.js';
import { expositionLimitsOf } from './expositionLimits.js';
import { expositionToWriteRequest } from './expositionToWriteRequest.js';
import { parseExposition } from './parseExposition.js';

export interface ImportReceiverOptions {
  readonly pipeline: PushPipeline;
  /** maxRequestBytes bounds the body before and after decompression; the label limits bound the parser. */
  readonly limits: Limits;
  /** Tenant of requests that neither the platform's auth hook nor X-Scope-OrgID names. */
  readonly defaultTenant: string;
  /** Where the receiver's own metrics go (vigil_import_prometheus_requests_total). */
  readonly registry: Registry;
  /** Clock for samples without a timestamp; tests pass a fixed one. */
  readonly now?: () => number;
}

/** Requests by outcome: ok, partial (some series refused), or the HTTP status class of a refusal. */
function requestCounter(registry: Registry): Counter<'outcome'> {
  const name = 'vigil_import_prometheus_requests_total';
  return (
    (registry.getSingleMetric(name) as Counter<'outcome'> | undefined) ??
    new Counter({ name, help: 'POST /api/v1/import/prometheus requests by outcome (ok, partial, 4xx, 5xx).', labelNames: ['outcome'], registers: [registry] })
  );
}

/**
 * POST /api/v1/import/prometheus: exposition text pushed as VictoriaMetrics accepts it (text
 * format 0.0.4, or OpenMetrics when the Content-Type says application/openmetrics-text),
 * optionally gzip'ed; `extra_label=name=value` (repeatable) adds labels to every series; samples
 * without a timestamp get the time of the request. 204 once everything is durable; 200 with the
 * counts and a warning when some series were refused; 400 naming the line of a syntax error
 * (nothing of such a body is written).
 */
export async function importReceiver(app: FastifyInstance, options: ImportReceiverOptions): Promise<void> {
  const { pipeline, limits, defaultTenant } = options;
  const now = options.now ?? Date.now;
  const parserLimits = expositionLimitsOf(limits);
  const requests = requestCounter(options.registry);
  app.addHook('onResponse', async (_request, reply) => {
    const status = reply.statusCode;
    requests.inc({ outcome: status === 204 ? 'ok' : status === 200 ? 'partial' : status >= 500 ? '5xx' : '4xx' });
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxRequestBytes }, (_req, body, done) => done(null, body));

  // Prometheus' error envelope, as the platform's fallback answers, so the receiver is whole on its own.
  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    if (isVigilError(error)) {
      const status = httpStatusOf(error.code);
      if (status >= 500 && status !== 503) request.log.error({ err: error }, 'import failed');
      if (error.retryAfterMs !== undefined) void reply.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      return reply.code(status).send({ status: 'error', errorType: error.code, error: capMessage(error.message) });
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) return reply.code(413).send({ status: 'error', errorType: 'payload_too_large', error: `request body is larger than the limit of ${limits.maxRequestBytes} bytes` });
    if (status >= 400 && status < 500) return reply.code(status).send({ status: 'error', errorType: 'bad_data', error: capMessage(error.message) });
    request.log.error({ err: error }, 'import failed');
    return reply.code(500).send({ status: 'error', errorType: 'internal', error: 'internal error (see the server log)' });
  });

  app.post('/api/v1/import/prometheus', { bodyLimit: limits.maxRequestBytes }, async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = requestTenant(request, defaultTenant);
    const extraLabels = extraLabelsOf(request.query);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const text = decompress(raw, request.headers['content-encoding'], limits.maxRequestBytes).toString('utf8');
    let parsed;
    try {
      parsed = parseExposition(text, expositionFormatOf(request.headers['content-type']), parserLimits);
    } catch (err) {
      if (err instanceof ExpositionError) throw new VigilError('bad_data', `cannot parse the exposition: ${err.message}`);
      throw err;
    }
    if (parsed.samples.length === 0) return reply.code(204).send();
    const result = await pipeline.push(expositionToWriteRequest(parsed, { tenant, nowMs: now(), extraLabels }));
    const rejected = result.rejected.samples;
    if (rejected === 0) return reply.code(204).send();
    return reply.code(200).send({ status: 'success', data: { accepted: result.accepted.samples, rejected }, warnings: [result.errorMessage] });
  });
}

/** `extra_label=name=value`, once or repeated; a bad one is a 400 naming it. */
function extraLabelsOf(query: unknown): Labels {
  const raw = (query as Record<string, unknown> | undefined)?.extra_label;
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: Record<string, string> = {};
  for (const item of items) {
    const text = String(item);
    const eq = text.indexOf('=');
    const name = eq === -1 ? '' : text.slice(0, eq);
    if (!isValidLabelName(name) || name === '__name__') {
      throw new VigilError('bad_data', `extra_label ${quote(text, 80)}: expected name=value with a label name matching [a-zA-Z_][a-zA-Z0-9_]*`);
    }
    out[name] = text.slice(eq + 1);
  }
  return out;
}

/** The body as sent, inflated when Content-Encoding says so; never more than `maxBytes`. */
function decompress(body: Buffer, encoding: string | string[] | undefined, maxBytes: number): Buffer {
  const name = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? '')).trim().toLowerCase();
  if (name === '' || name === 'identity') return body;
  if (name !== 'gzip' && name !== 'deflate') throw new VigilError('unsupported_media_type', `Content-Encoding ${quote(name, 40)} is not supported: send gzip, deflate or none`);
  try {
    return name === 'gzip' ? gunzipSync(body, { maxOutputLength: maxBytes }) : inflateSync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new VigilError('payload_too_large', `request body is larger than the limit of ${maxBytes} bytes once decompressed`);
    }
    throw new VigilError('bad_data', `cannot decompress the ${name} body: ${(err as Error).message}`);
  }
}
