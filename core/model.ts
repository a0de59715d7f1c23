import { z } from 'zod';

/**
 * The data model every part of Vigil speaks. It mirrors Prometheus for metrics (a series is a
 * label set that includes __name__; histograms and summaries arrive already split into
 * _bucket/_sum/_count series) and OpenTelemetry for logs. Every record belongs to a tenant.
 */

/** The tenant used when a request names none. */
export const DEFAULT_TENANT = 'default';

/** A label set, including `__name__` for metrics. Keys are unique; order is irrelevant. */
export type Labels = Readonly<Record<string, string>>;

/** One sample: a millisecond Unix timestamp and a float64 value (NaN/±Inf allowed as values, as in Prometheus). */
export interface Sample {
  readonly t: number;
  readonly v: number;
}

/**
 * Samples of many series in columns, as the bus carries them, with the series' labels as a
 * symbol table (the layout of Prometheus remote-write 2.0): every distinct string once, every
 * distinct name="value" pair once, and per series the pairs it has. A batch of 10k series from a
 * few exporters holds a few hundred distinct pairs, so decoding it builds no object per series or
 * per sample, and a series id is a few additions of per-pair hashes (core/sampleColumns.ts).
 * Series i has pairCounts[i] labels and counts[i] samples, both stored series after series.
 */
export interface SampleColumns {
  /** Distinct label names and values. */
  readonly symbols: readonly string[];
  /** Distinct label pairs as symbol indexes: [name₀, value₀, name₁, value₁, …]. */
  readonly pairs: Uint32Array;
  /** Per series, its labels as pair numbers (index into `pairs` / 2), series after series. */
  readonly seriesPairs: Uint32Array;
  readonly pairCounts: Uint32Array;
  readonly counts: Uint32Array;
  readonly t: Float64Array;
  readonly v: Float64Array;
}

/** A series and some of its samples, ordered by time. */
export interface TimeSeries {
  readonly labels: Labels;
  readonly samples: readonly Sample[];
}

export const metricTypes = ['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown'] as const;
export type MetricType = (typeof metricTypes)[number];

/** Per metric family metadata, as Prometheus' remote_write and exposition carry it. */
export interface MetricMetadata {
  readonly metricFamilyName: string;
  readonly type: MetricType;
  readonly unit: string;
  readonly help: string;
}

/** A JSON-compatible attribute value, as OTLP AnyValue maps to JSON. */
export type AttributeValue = string | number | boolean | null | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };
export type Attributes = Readonly<Record<string, AttributeValue>>;

/**
 * A log record. Timestamps are nanoseconds since the Unix epoch (bigint: they exceed 2^53).
 * `stream` holds the low-cardinality labels used to select logs (job, instance, namespace, ...);
 * everything else stays in `attributes` / `resource` so streams do not explode.
 */
export interface LogRecord {
  readonly timeNs: bigint;
  readonly observedTimeNs: bigint;
  /** OpenTelemetry severity number 0..24 (0 = unspecified). */
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: string;
  readonly stream: Labels;
  readonly attributes: Attributes;
  readonly resource: Attributes;
  /** Lower-case hex, 32 characters, or empty. */
  readonly traceId: string;
  /** Lower-case hex, 16 characters, or empty. */
  readonly spanId: string;
}

/** A Kubernetes-style event: something happened to an object, possibly many times. */
export interface ObjectReference {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

export interface Event {
  readonly reason: string;
  readonly type: 'Normal' | 'Warning';
  readonly involvedObject: ObjectReference;
  readonly message: string;
  readonly count: number;
  /** Milliseconds since the epoch. */
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** Component that reported it, e.g. "kubelet" or "vigil-director". */
  readonly source: string;
  readonly labels: Labels;
}

/** A topology entity (cluster, node, pod, container, ...). Model only for now. */
export interface EntityRelation {
  readonly type: string; // e.g. "runs_on", "member_of"
  readonly targetId: string;
}

export interface Entity {
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly attributes: Attributes;
  readonly relations: readonly EntityRelation[];
}

/**
 * What every receiver produces, whatever its wire format: the one push pipeline validates,
 * limits and publishes it. A receiver fills only the parts its protocol carries.
 */
export interface WriteRequest {
  readonly tenant: string;
  readonly series: readonly TimeSeries[];
  readonly metadata: readonly MetricMetadata[];
  readonly logs: readonly LogRecord[];
  readonly events: readonly Event[];
}

export function emptyWriteRequest(tenant: string = DEFAULT_TENANT): WriteRequest {
  return { tenant, series: [], metadata: [], logs: [], events: [] };
}

// ---- zod schemas: the edge validators for JSON bodies that carry Vigil's own model ----

export const labelsSchema = z.record(z.string(), z.string());

export const sampleSchema = z.object({ t: z.number().int(), v: z.number().or(z.nan()) });

export const timeSeriesSchema = z.object({ labels: labelsSchema, samples: z.array(sampleSchema) });

export const metricMetadataSchema = z.object({
  metricFamilyName: z.string().min(1),
  type: z.enum(metricTypes),
  unit: z.string(),
  help: z.string(),
});

export const attributeValueSchema: z.ZodType<AttributeValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(attributeValueSchema), z.record(z.string(), attributeValueSchema)]),
);

export const eventSchema = z.object({
  reason: z.string().min(1),
  type: z.enum(['Normal', 'Warning']),
  involvedObject: z.object({
    kind: z.string().min(1),
    name: z.string().min(1),
    namespace: z.string().default(''),
    uid: z.string().default(''),
  }),
  message: z.string(),
  count: z.number().int().positive().default(1),
  firstSeenMs: z.number().int(),
  lastSeenMs: z.number().int(),
  source: z.string().default(''),
  labels: labelsSchema.default({}),
});

export const entitySchema = z.object({
  kind: z.string().min(1),
  id: z.string().min(1),
  name: z.string(),
  attributes: z.record(z.string(), attributeValueSchema).default({}),
  relations: z.array(z.object({ type: z.string().min(1), targetId: z.string().min(1) })).default([]),
});
