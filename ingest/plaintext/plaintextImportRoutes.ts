import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TimeSeries } from '../../core/index.js';
import { isVigilError, requestTenant } from '../../core/index.js';
import { createReceiverMetrics } from '../listeners/receiverMetrics.js';
import type { TextImportOptions } from '../listeners/textBody.js';
import { bodyText, forEachLine, MAX_NAMED_LINES, registerTextBody, sendText } from '../listeners/textBody.js';
import type { PlaintextFormat } from './plaintextFormat.js';
import { plaintextParsers } from './plaintextFormat.js';

export type { TextImportOptions };

/**
 * POST /api/v1/import/graphite and /api/v1/import/wavefront: a body of lines (optionally gzip'ed),
 * as VictoriaMetrics takes them. 204 when every line was stored; 400 naming the first bad lines
 * by number when some were not (the good ones are stored); 429 with Retry-After on backpressure.
 */
export async function plaintextImportRoutes(app: FastifyInstance, options: TextImportOptions): Promise<void> {
  const { pipeline, limits, defaultTenant } = options;
  const now = options.now ?? Date.now;
  const metrics = createReceiverMetrics(options.registry);
  registerTextBody(app, limits, metrics, (url) => (url.includes('wavefront') ? 'wavefront' : 'graphite'));

  const handle = (format: PlaintextFormat) => async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = requestTenant(request, defaultTenant);
    const text = await bodyText(request, limits);
    const parse = plaintextParsers[format];
    const nowMs = now();
    const series: TimeSeries[] = [];
    const errors: string[] = [];
    let bad = 0;
    forEachLine(text, (line, n) => {
      if (line.startsWith('#')) return;
      try {
        series.push(parse(line, nowMs));
      } catch (err) {
        if (!isVigilError(err)) throw err;
        bad++;
        if (errors.length < MAX_NAMED_LINES) errors.push(`line ${n}: ${err.message}`);
      }
    });
    let rejectedMessage = '';
    if (series.length > 0) {
      const result = await pipeline.push({ tenant, series, metadata: [], logs: [], events: [] });
      if (result.rejected.samples > 0) rejectedMessage = result.errorMessage;
    }
    if (bad > 0 || rejectedMessage !== '') {
      const parts = [...errors, ...(bad > errors.length ? [`${bad - errors.length} more bad lines`] : []), ...(rejectedMessage === '' ? [] : [rejectedMessage])];
      return sendText(reply, 400, `${bad} of ${series.length + bad} lines could not be parsed${rejectedMessage === '' ? '' : ', some samples were rejected'}: ${parts.join('; ')}`);
    }
    return reply.code(204).send();
  };

  app.post('/api/v1/import/graphite', { bodyLimit: limits.maxRequestBytes }, handle('graphite'));
  app.post('/api/v1/import/wavefront', { bodyLimit: limits.maxRequestBytes }, handle('wavefront'));
}
