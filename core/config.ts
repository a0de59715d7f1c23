import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isValidTenant } from './auth.js';
import { tenantLimitFields, tenantOverridesSchema } from './tenantLimits.js';

/** limits.maxQueryLength by default: 64 KiB of PromQL, far more than any dashboard sends. */
export const DEFAULT_MAX_QUERY_LENGTH = 64 * 1024;

/** store.retentionMs by default: 15 days. */
export const DEFAULT_RETENTION_MS = 15 * 24 * 3600 * 1000;

/**
 * The one configuration schema. Sources, lowest precedence first:
 * defaults < YAML file (--config) < VIGIL_* environment < CLI flags.
 * A bad value stops start-up with the dotted path of the key and what was expected.
 */
export const limitsSchema = z
  .object({
    maxLabelsPerSeries: z.number().int().positive().default(40),
    maxLabelNameLength: z.number().int().positive().default(1024),
    maxLabelValueLength: z.number().int().positive().default(4096),
    /**
     * Deprecated spelling of ingest.maxSampleAgeMs (still honoured). In the limits a pipeline is
     * given, the effective maximum age (see effectiveMaxSampleAgeMs); unset there means the
     * default retention, DEFAULT_RETENTION_MS.
     */
    maxSampleAgeMs: z.number().int().positive().optional(),
    /** Samples newer than now + this are rejected (clock skew allowance, default 10 minutes). */
    maxFutureMs: z.number().int().positive().default(10 * 60 * 1000),
    /** Largest accepted request body, after decompression. */
    maxRequestBytes: z.number().int().positive().default(16 * 1024 * 1024),
    maxLogLineBytes: z.number().int().positive().default(256 * 1024),
    ...tenantLimitFields,
    /** Per-tenant overrides of the fields above that apply per tenant (core/tenantLimits.ts). */
    tenants: tenantOverridesSchema.default({}),
    /**
     * Longest PromQL text (query, match[]) the query API parses, in UTF-8 bytes; longer is a 400
     * naming this limit. A query's text alone must not cost memory: see issue #10.
     */
    maxQueryLength: z.number().int().positive().default(DEFAULT_MAX_QUERY_LENGTH),
    /** Deepest nesting of objects and arrays in a JSON body (OTLP JSON, the director's API); deeper is a 400. */
    maxJsonDepth: z.number().int().min(8).max(1024).default(64),
  })
  .strict();

/**
 * A socket receiver for a protocol without credentials (syslog, Graphite, Wavefront): off unless
 * given a port; loopback unless told otherwise, and then only with auth.insecureNoAuth, since
 * anyone who reaches the port can write.
 */
const socketReceiverSchema = z
  .object({
    /** 0 = off. */
    port: z.number().int().min(0).max(65535).default(0),
    host: z.string().min(1).default('127.0.0.1'),
    /** Longest line or message; longer ones are skipped and counted. */
    maxMessageBytes: z.number().int().min(256).max(16 * 1024 * 1024).default(64 * 1024),
    /** Open TCP connections at most; more are closed on arrival and counted. */
    maxConnections: z.number().int().positive().max(100_000).default(1024),
  })
  .strict();

const syslogSchema = socketReceiverSchema
  .extend({
    /** PEM files: with both set the TCP listener speaks TLS (RFC 5425) and UDP stays off. */
    tls: z
      .object({ cert: z.string().default(''), key: z.string().default('') })
      .strict()
      .refine((t) => (t.cert === '') === (t.key === ''), 'set both cert and key, or neither')
      .default({ cert: '', key: '' }),
  })
  .strict();

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    /** Roles or targets to run, e.g. ['all'] or ['ingest', 'writer', 'query']. */
    roles: z.array(z.string().min(1)).min(1).default(['all']),
    tenant: z
      .object({ default: z.string().refine(isValidTenant, "a tenant id: 1-150 letters, digits and !-_.*'() (not '*')").default('default') })
      .strict()
      .default({ default: 'default' }),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
    http: z
      .object({
        /** Loopback unless told otherwise: a non-loopback address needs auth.enabled (or auth.insecureNoAuth). */
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8470),
        /** PEM files: with both set the listener speaks HTTPS only. */
        tls: z
          .object({ cert: z.string().default(''), key: z.string().default('') })
          .strict()
          .refine((t) => (t.cert === '') === (t.key === ''), 'set both cert and key, or neither')
          .default({ cert: '', key: '' }),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8470, tls: { cert: '', key: '' } }),
    auth: z
      .object({
        /** Every route except /-/healthy, /-/ready (and /metrics when publicMetrics) needs a bearer token. */
        enabled: z.boolean().default(false),
        /** Allows a non-loopback listener without authentication; logs a warning on every start. */
        insecureNoAuth: z.boolean().default(false),
        /** Serve GET /metrics without a token (for a scraper inside a trusted network). */
        publicMetrics: z.boolean().default(false),
        /** Where token hashes live; default <dataDir>/auth/tokens.json. */
        tokensFile: z.string().default(''),
      })
      .strict()
      .default({ enabled: false, insecureNoAuth: false, publicMetrics: false, tokensFile: '' }),
    limits: limitsSchema.default(limitsSchema.parse({})),
    ingest: z
      .object({
        /** Worker threads that decode, validate and encode OTLP requests; 0 decodes on the main thread. */
        decodeWorkers: z.number().int().min(0).max(64).default(1),
        /**
         * Samples and log records older than now - this are rejected per record (counted, reported
         * in the response). Default and upper bound: store.retentionMs, since the store would
         * drop them anyway.
         */
        maxSampleAgeMs: z.number().int().positive().optional(),
        /** Syslog over TCP and UDP on one port (RFC 5424/3164, RFC 6587 framing, RFC 5425 TLS). */
        syslog: syslogSchema.default(syslogSchema.parse({})),
        /** Graphite plaintext over TCP (`path value timestamp`, tags as `path;k=v`). */
        graphite: socketReceiverSchema.default(socketReceiverSchema.parse({})),
        /** Wavefront data format over TCP (`metric value [timestamp] source=s [k="v" ...]`). */
        wavefront: socketReceiverSchema.default(socketReceiverSchema.parse({})),
      })
      .strict()
      .default({ decodeWorkers: 1, syslog: syslogSchema.parse({}), graphite: socketReceiverSchema.parse({}), wavefront: socketReceiverSchema.parse({}) }),
    bus: z
      .object({
        kind: z.enum(['embedded', 'kafka']).default('embedded'),
        /** Embedded: bytes per segment file before rolling to a new one. */
        segmentBytes: z.number().int().positive().default(64 * 1024 * 1024),
        /** Embedded: unconsumed bytes per topic above which producers get backpressure (HTTP 429). */
        maxLagBytes: z.number().int().positive().default(512 * 1024 * 1024),
        /** Embedded: how long a group commit waits to gather more batches before one fsync. */
        groupCommitMs: z.number().int().min(0).default(2),
        /** Embedded: a consumer group without a consumer or a commit for this long is forgotten (its offsets stop holding segments). */
        groupRetentionMs: z.number().int().positive().default(7 * 24 * 3600_000),
        kafka: z
          .object({ brokers: z.array(z.string()).default(['127.0.0.1:9092']), clientId: z.string().default('vigil') })
          .strict()
          .default({ brokers: ['127.0.0.1:9092'], clientId: 'vigil' }),
      })
      .strict()
      .default({
        kind: 'embedded',
        segmentBytes: 64 * 1024 * 1024,
        maxLagBytes: 512 * 1024 * 1024,
        groupCommitMs: 2,
        groupRetentionMs: 7 * 24 * 3600_000,
        kafka: { brokers: ['127.0.0.1:9092'], clientId: 'vigil' },
      }),
    store: z
      .object({
        kind: z.enum(['duckdb', 'clickhouse']).default('duckdb'),
        /** Data older than this is dropped, whole partitions at a time. */
        retentionMs: z.number().int().positive().default(DEFAULT_RETENTION_MS),
        /** Width of one time partition. */
        partitionMs: z.number().int().positive().default(24 * 3600 * 1000),
        /**
         * DuckDB's memory limit (its buffer cache and query memory; DuckDB's own default is 80 % of
         * RAM, which on a shared host would crowd out everything else). Beyond it DuckDB spills.
         */
        memoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'a size such as "256MB" or "1GiB"').default('64MB'),
        clickhouse: z
          .object({ url: z.string().default('http://127.0.0.1:8123'), database: z.string().default('vigil') })
          .strict()
          .default({ url: 'http://127.0.0.1:8123', database: 'vigil' }),
      })
      .strict()
      .default({
        kind: 'duckdb',
        retentionMs: DEFAULT_RETENTION_MS,
        partitionMs: 24 * 3600 * 1000,
        memoryLimit: '64MB',
        clickhouse: { url: 'http://127.0.0.1:8123', database: 'vigil' },
      }),
    writer: z
      .object({
        /** Bus records per store transaction; each record holds up to ~10k samples or log lines. */
        maxBatchRecords: z.number().int().positive().default(8),
        /** How long the writer waits for a fuller batch; bounds how soon data becomes queryable. */
        maxBatchWaitMs: z.number().int().min(0).default(100),
      })
      .strict()
      .default({ maxBatchRecords: 8, maxBatchWaitMs: 100 }),
    collectors: z
      .object({
        host: z
          .object({ enabled: z.boolean().default(true), intervalMs: z.number().int().positive().default(15_000) })
          .strict()
          .default({ enabled: true, intervalMs: 15_000 }),
        selfLogs: z.object({ enabled: z.boolean().default(true) }).strict().default({ enabled: true }),
      })
      .strict()
      .default({ host: { enabled: true, intervalMs: 15_000 }, selfLogs: { enabled: true } }),
    scrape: z
      .object({
        /** The scraper role's Prometheus scrape configuration (prometheus.yml: global and scrape_configs); empty: none. */
        configFile: z.string().default(''),
        /** Scrape Vigil's own /metrics in-process as job "vigil" (unless the file has a job of that name). */
        self: z.boolean().default(true),
        selfIntervalMs: z.number().int().min(1000).default(15_000),
      })
      .strict()
      .default({ configFile: '', self: true, selfIntervalMs: 15_000 }),
    director: z
      .object({
        enabled: z.boolean().default(true),
        /** Which CPI creates VMs: 'process' (process trees on this host) or 'dummy' (tests). */
        cpi: z.enum(['process', 'dummy']).default('process'),
        resurrection: z.boolean().default(true),
        /** Loopback range VMs take their IPs from (Linux routes all of 127.0.0.0/8 to lo). */
        network: z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.0\/24$/, 'a range like 127.70.1.0/24').default('127.70.1.0/24'),
        /** Port every VM agent listens on, on its own IP. */
        agentPort: z.number().int().min(1).max(65535).default(6868),
        /** An instance without a heartbeat for this long is unresponsive. */
        heartbeatTimeoutMs: z.number().int().positive().default(5000),
        /** Resurrection stops when more than this many instances of a deployment are unhealthy at once: a count or a share like '50%'. */
        meltdown: z.union([z.number().int().positive(), z.string().regex(/^\d{1,3}%$/)]).default('50%'),
      })
      .strict()
      .default({
        enabled: true,
        cpi: 'process',
        resurrection: true,
        network: '127.70.1.0/24',
        agentPort: 6868,
        heartbeatTimeoutMs: 5000,
        meltdown: '50%',
      }),
    rules: z
      .object({
        /** Globs of Prometheus rule files (rule_files); none means the evaluator idles. */
        files: z.array(z.string().min(1)).default([]),
        /** Interval of groups that set none (Prometheus' global evaluation_interval). */
        evaluationIntervalMs: z.number().int().min(1000).default(60_000),
        /** Labels added to alerts sent out and visible to templates as $externalLabels. */
        externalLabels: z.record(z.string(), z.string()).default({}),
        /** URL of this server as users reach it: $externalURL and the alerts' generatorURL. */
        externalUrl: z.string().default(''),
        /** How often a firing alert is re-sent (--rules.alert.resend-delay). */
        resendDelayMs: z.number().int().positive().default(60_000),
        /** Longest down time after which alerts' `for` state is still restored (--rules.alert.for-outage-tolerance). */
        outageToleranceMs: z.number().int().positive().default(3_600_000),
        /** Least time left to fire for an alert restored after a restart (--rules.alert.for-grace-period). */
        forGracePeriodMs: z.number().int().min(0).default(600_000),
        /** Alertmanagers alerts are sent to (base URLs; POST /api/v2/alerts). */
        alertmanagers: z.array(z.url({ protocol: /^https?$/ })).default([]),
      })
      .strict()
      .default({
        files: [],
        evaluationIntervalMs: 60_000,
        externalLabels: {},
        externalUrl: '',
        resendDelayMs: 60_000,
        outageToleranceMs: 3_600_000,
        forGracePeriodMs: 600_000,
        alertmanagers: [],
      }),
    notify: z
      .object({
        /** Alertmanager's YAML (route, receivers with webhook_configs, inhibit_rules): alerts are dispatched in process. */
        configFile: z.string().default(''),
        /** Let webhooks reach link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, metadata hosts). */
        allowLinkLocal: z.boolean().default(false),
      })
      .strict()
      .default({ configFile: '', allowLinkLocal: false }),
    tracing: z
      .object({ enabled: z.boolean().default(false), otlpEndpoint: z.string().default('http://127.0.0.1:4318/v1/traces') })
      .strict()
      .default({ enabled: false, otlpEndpoint: 'http://127.0.0.1:4318/v1/traces' }),
  })
  .strict();

export type VigilConfig = z.infer<typeof configSchema>;

/**
 * The age beyond which ingest refuses samples and log records: ingest.maxSampleAgeMs (or its
 * old spelling limits.maxSampleAgeMs), never more than store.retentionMs — older data would
 * only be dropped later, and must not create partitions outside retention.
 */
export function effectiveMaxSampleAgeMs(config: Pick<VigilConfig, 'ingest' | 'limits' | 'store'>): number {
  const configured = config.ingest.maxSampleAgeMs ?? config.limits.maxSampleAgeMs ?? config.store.retentionMs;
  return Math.min(configured, config.store.retentionMs);
}

/** Raised when configuration is invalid; the message lists each bad key path and what was expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type PlainObject = Record<string, unknown>;

function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where later sources win; arrays are replaced, not concatenated. */
export function mergeConfig(...sources: PlainObject[]): PlainObject {
  const out: PlainObject = {};
  for (const src of sources) {
    for (const [k, v] of Object.entries(src)) {
      const prev = out[k];
      out[k] = isPlainObject(prev) && isPlainObject(v) ? mergeConfig(prev, v) : v;
    }
  }
  return out;
}

/** Sets `value` at a dotted path, creating objects on the way. */
export function setPath(target: PlainObject, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next)) node[key] = {};
    node = node[key] as PlainObject;
  }
  node[path[path.length - 1] as string] = value;
}

/** Parses a scalar from env or CLI text: numbers, booleans, comma lists for array-typed keys. */
function parseScalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

const arrayKeys = new Set(['roles', 'bus.kafka.brokers', 'rules.files', 'rules.alertmanagers']);

/** Converts a dotted key and its text to the value the schema expects. */
export function coerceValue(dottedKey: string, text: string): unknown {
  if (arrayKeys.has(dottedKey)) return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return parseScalar(text);
}

/**
 * VIGIL_* variables that are not configuration keys: the CLI's own (where the config file is, which
 * server the client commands talk to and with what token) and what a VM's agent is given.
 */
const notConfigKeys: ReadonlySet<string> = new Set(['VIGIL_CONFIG', 'VIGIL_URL', 'VIGIL_TOKEN', 'VIGIL_VM_CID', 'VIGIL_FUZZ_SEED']);

/**
 * Environment variables: VIGIL_HTTP_PORT → http.port, VIGIL_DATA_DIR → dataDir,
 * VIGIL_BUS__MAX_LAG_BYTES → bus.maxLagBytes ('__' separates levels, '_' joins words).
 */
export function configFromEnv(env: NodeJS.ProcessEnv): PlainObject {
  const out: PlainObject = {};
  const shortcuts: Record<string, string> = {
    VIGIL_HTTP_PORT: 'http.port',
    VIGIL_HTTP_HOST: 'http.host',
    VIGIL_DATA_DIR: 'dataDir',
    VIGIL_ROLES: 'roles',
    VIGIL_LOG_LEVEL: 'log.level',
  };
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('VIGIL_') || raw === undefined) continue;
    if (notConfigKeys.has(name)) continue;
    const dotted = shortcuts[name] ?? envNameToPath(name.slice('VIGIL_'.length));
    setPath(out, dotted.split('.'), coerceValue(dotted, raw));
  }
  return out;
}

function envNameToPath(rest: string): string {
  return rest
    .split('__')
    .map((part) => part.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()))
    .join('.');
}

/** Reads and parses a YAML config file; errors name the file. */
export function configFromYamlFile(path: string): PlainObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isPlainObject(doc)) throw new ConfigError(`config file ${path}: expected a mapping at the top level`);
  return doc;
}

/** Formats zod issues as "path: message" lines, the way every edge in Vigil reports bad input. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], root = ''): string {
  return issues
    .map((i) => {
      const path = [root, ...i.path.map(String)].filter((p) => p.length > 0).join('.');
      return `${path.length > 0 ? path : '(root)'}: ${i.message}`;
    })
    .join('; ');
}

export interface LoadConfigOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Flags already mapped to dotted paths, e.g. {'http.port': 18470}. */
  flags?: PlainObject;
}

/** Loads configuration from all sources; throws ConfigError naming every bad key. */
export function loadConfig(opts: LoadConfigOptions = {}): VigilConfig {
  const fromFile = opts.file === undefined ? {} : configFromYamlFile(opts.file);
  const fromEnv = configFromEnv(opts.env ?? {});
  const merged = mergeConfig(fromFile, fromEnv, opts.flags ?? {});
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(`invalid configuration: ${formatZodIssues(result.error.issues)}`);
  return result.data;
}
