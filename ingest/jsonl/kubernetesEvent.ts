import { z } from 'zod';
import type { Event } from '../../core/index.js';
import { eventSchema, formatZodIssues, VigilError } from '../../core/index.js';
import { promLabelName } from '../otlp/promNames.js';

const objectReference = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
  uid: z.string().optional(),
});
const time = z.iso.datetime({ offset: true });
const optionalTime = time.nullish();

/**
 * A Kubernetes Event as the API server returns it: core/v1 (`involvedObject`, `firstTimestamp`,
 * `count`, `source.component`) or events.k8s.io/v1 (`regarding`, `note`, `series`,
 * `reportingController`, `deprecated*`). Only what Vigil keeps is checked; the rest passes.
 */
const kubernetesEventSchema = z.object({
  metadata: z.object({ labels: z.record(z.string(), z.string()).optional(), creationTimestamp: optionalTime }).optional(),
  reason: z.string().min(1),
  type: z.enum(['Normal', 'Warning']),
  involvedObject: objectReference.optional(),
  regarding: objectReference.optional(),
  message: z.string().optional(),
  note: z.string().optional(),
  count: z.number().int().positive().nullish(),
  deprecatedCount: z.number().int().positive().nullish(),
  series: z.object({ count: z.number().int().positive().optional(), lastObservedTime: optionalTime }).nullish(),
  firstTimestamp: optionalTime,
  lastTimestamp: optionalTime,
  deprecatedFirstTimestamp: optionalTime,
  deprecatedLastTimestamp: optionalTime,
  eventTime: optionalTime,
  source: z.object({ component: z.string().optional() }).nullish(),
  deprecatedSource: z.object({ component: z.string().optional() }).nullish(),
  reportingComponent: z.string().nullish(),
  reportingController: z.string().nullish(),
});

/**
 * One event from a JSON line: a Kubernetes Event object as it is (either API version), or
 * Vigil's own event model (has `firstSeenMs`). `where` names the line in errors.
 * Throws VigilError('bad_data') naming the field.
 */
export function eventFromJson(obj: Record<string, unknown>, where: string): Event {
  if ('firstSeenMs' in obj) {
    const own = eventSchema.safeParse(obj);
    if (!own.success) throw new VigilError('bad_data', formatZodIssues(own.error.issues, where));
    return own.data;
  }
  const parsed = kubernetesEventSchema.safeParse(obj);
  if (!parsed.success) throw new VigilError('bad_data', formatZodIssues(parsed.error.issues, where));
  const e = parsed.data;
  const ref = e.involvedObject ?? e.regarding;
  if (ref === undefined) throw new VigilError('bad_data', `${where}: a Kubernetes Event needs involvedObject (core/v1) or regarding (events.k8s.io/v1)`);
  const ms = (t: string | null | undefined): number | undefined => (t === undefined || t === null ? undefined : Date.parse(t));
  const first = ms(e.firstTimestamp) ?? ms(e.deprecatedFirstTimestamp) ?? ms(e.eventTime) ?? ms(e.metadata?.creationTimestamp);
  if (first === undefined) throw new VigilError('bad_data', `${where}: no time: set firstTimestamp, eventTime or metadata.creationTimestamp`);
  const last = ms(e.series?.lastObservedTime) ?? ms(e.lastTimestamp) ?? ms(e.deprecatedLastTimestamp) ?? ms(e.eventTime) ?? first;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.metadata?.labels ?? {})) labels[promLabelName(k)] = v;
  return {
    reason: e.reason,
    type: e.type,
    involvedObject: { kind: ref.kind, name: ref.name, namespace: ref.namespace ?? '', uid: ref.uid ?? '' },
    message: e.message ?? e.note ?? '',
    count: e.series?.count ?? e.count ?? e.deprecatedCount ?? 1,
    firstSeenMs: first,
    lastSeenMs: Math.max(first, last),
    source: e.source?.component ?? e.reportingComponent ?? e.reportingController ?? e.deprecatedSource?.component ?? '',
    labels,
  };
}
