import { z } from 'zod';
import { isValidLabelName, parseDurationMs } from '../../core/index.js';
import { parseByteSize } from './byteSize.js';

/**
 * Prometheus 2.42's own scrape configuration (prometheus.yml: `global` and `scrape_configs`),
 * the parts Vigil's scraper runs: static and file service discovery, relabeling, honor_labels /
 * honor_timestamps, interval and timeout, path, scheme, params, basic and bearer auth, sample
 * and label limits. A key Vigil does not support (another service discovery, tls_config, oauth2)
 * is refused by name rather than ignored. Defaults and checks follow Prometheus' config.go.
 */

const duration = z.string().refine((s) => parseDurationMs(s) !== undefined, 'a Prometheus duration such as 15s, 1m30s or 500ms');
const byteSize = z.string().refine((s) => parseByteSize(s) !== undefined, 'a size such as 10MB');
const labelName = z.string().refine(isValidLabelName, 'a label name matching [a-zA-Z_][a-zA-Z0-9_]*');
/** A label set; a bad name is reported with the name (zod's record key check only says "Invalid key"). */
export const labelSetSchema = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const name of Object.keys(labels)) {
    if (!isValidLabelName(name)) ctx.addIssue({ code: 'custom', path: [name], message: `invalid label name ${JSON.stringify(name)}: a label name matching [a-zA-Z_][a-zA-Z0-9_]*` });
  }
});
const labelSet = labelSetSchema;

export const relabelActions = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'] as const;

/** target_label / labelmap replacement: a label name, possibly with $1 / ${name} references. */
const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

const DEFAULT_REGEX = '(.*)';
const DEFAULT_SEPARATOR = ';';
const DEFAULT_REPLACEMENT = '$1';

export const relabelConfigSchema = z
  .object({
    source_labels: z.array(labelName).default([]),
    separator: z.string().default(DEFAULT_SEPARATOR),
    regex: z.string().default(DEFAULT_REGEX),
    modulus: z.number().int().min(0).default(0),
    target_label: z.string().default(''),
    replacement: z.string().default(DEFAULT_REPLACEMENT),
    action: z
      .string()
      .transform((a) => a.toLowerCase())
      .pipe(z.enum(relabelActions))
      .default('replace'),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = relabelProblem(c);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export type RelabelConfig = z.infer<typeof relabelConfigSchema>;

/** Prometheus' relabel.Config validation, with its messages. */
function relabelProblem(c: RelabelConfig): string | undefined {
  const { action } = c;
  if (action === 'hashmod' && c.modulus === 0) return 'relabel configuration for hashmod requires non-zero modulus';
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  if (needsTarget && c.target_label === '') return `relabel configuration for ${action} action requires 'target_label' value`;
  if (['replace', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && !RELABEL_TARGET.test(c.target_label)) return `${JSON.stringify(c.target_label)} is invalid 'target_label' for ${action} action`;
  if (['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && c.replacement !== DEFAULT_REPLACEMENT) return `'replacement' can not be set for ${action} action`;
  if (action === 'labelmap' && !RELABEL_TARGET.test(c.replacement)) return `${JSON.stringify(c.replacement)} is invalid 'replacement' for ${action} action`;
  if (action === 'hashmod' && !isValidLabelName(c.target_label)) return `${JSON.stringify(c.target_label)} is invalid 'target_label' for ${action} action`;
  if ((action === 'keepequal' || action === 'dropequal') && (c.regex !== DEFAULT_REGEX || c.modulus !== 0 || c.separator !== DEFAULT_SEPARATOR || c.replacement !== DEFAULT_REPLACEMENT)) {
    return `${action} action requires only 'source_labels' and \`target_label\`, and no other fields`;
  }
  if ((action === 'labeldrop' || action === 'labelkeep') && (c.source_labels.length > 0 || c.target_label !== '' || c.modulus !== 0 || c.separator !== DEFAULT_SEPARATOR || c.replacement !== DEFAULT_REPLACEMENT)) {
    return `${action} action requires only 'regex', and no other fields`;
  }
  return undefined;
}

const staticConfigSchema = z.object({ targets: z.array(z.string().min(1)).default([]), labels: labelSet.default({}) }).strict();

/** Files may glob in their last path element only, and must be .json, .yml or .yaml (Prometheus' rule). */
const FILE_SD_PATH = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;
const fileSdConfigSchema = z
  .object({
    files: z.array(z.string().regex(FILE_SD_PATH, 'a .json, .yml or .yaml path, with * only in the last path element')).min(1),
    refresh_interval: duration.default('5m'),
  })
  .strict();

const basicAuthSchema = z
  .object({ username: z.string().default(''), password: z.string().optional(), password_file: z.string().optional() })
  .strict()
  .refine((b) => b.password === undefined || b.password_file === undefined, 'at most one of basic_auth password & password_file must be configured');

const authorizationSchema = z
  .object({ type: z.string().default('Bearer'), credentials: z.string().optional(), credentials_file: z.string().optional() })
  .strict()
  .refine((a) => a.credentials === undefined || a.credentials_file === undefined, 'at most one of authorization credentials & credentials_file must be configured')
  .refine((a) => a.type.toLowerCase() !== 'basic', 'authorization type cannot be set to "basic", use "basic_auth" instead');

export const scrapeJobSchema = z
  .object({
    job_name: z.string().min(1),
    scrape_interval: duration.optional(),
    scrape_timeout: duration.optional(),
    metrics_path: z.string().startsWith('/').default('/metrics'),
    scheme: z.enum(['http', 'https']).default('http'),
    params: z.record(z.string(), z.array(z.string())).default({}),
    honor_labels: z.boolean().default(false),
    honor_timestamps: z.boolean().default(true),
    basic_auth: basicAuthSchema.optional(),
    authorization: authorizationSchema.optional(),
    bearer_token: z.string().optional(),
    bearer_token_file: z.string().optional(),
    follow_redirects: z.boolean().default(true),
    enable_http2: z.boolean().default(true),
    static_configs: z.array(staticConfigSchema).default([]),
    file_sd_configs: z.array(fileSdConfigSchema).default([]),
    relabel_configs: z.array(relabelConfigSchema).default([]),
    metric_relabel_configs: z.array(relabelConfigSchema).default([]),
    sample_limit: z.number().int().min(0).default(0),
    label_limit: z.number().int().min(0).default(0),
    label_name_length_limit: z.number().int().min(0).default(0),
    label_value_length_limit: z.number().int().min(0).default(0),
    body_size_limit: byteSize.optional(),
  })
  .strict()
  .refine((j) => [j.basic_auth, j.authorization, j.bearer_token ?? j.bearer_token_file].filter((x) => x !== undefined).length <= 1, 'at most one of basic_auth, authorization and bearer_token & bearer_token_file must be configured')
  .refine((j) => j.bearer_token === undefined || j.bearer_token_file === undefined, 'at most one of bearer_token & bearer_token_file must be configured');

export const scrapeFileSchema = z
  .object({
    global: z
      .object({
        scrape_interval: duration.default('1m'),
        scrape_timeout: duration.default('10s'),
        evaluation_interval: duration.optional(),
        external_labels: labelSet.optional(),
        query_log_file: z.string().optional(),
      })
      .strict()
      .default({ scrape_interval: '1m', scrape_timeout: '10s' }),
    scrape_configs: z.array(scrapeJobSchema).default([]),
    // Parts of prometheus.yml that are not about scraping: accepted, so one file serves both, and ignored.
    rule_files: z.unknown().optional(),
    alerting: z.unknown().optional(),
    remote_write: z.unknown().optional(),
    remote_read: z.unknown().optional(),
    storage: z.unknown().optional(),
    tracing: z.unknown().optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.scrape_configs.forEach((j, i) => {
      if (seen.has(j.job_name)) ctx.addIssue({ code: 'custom', path: ['scrape_configs', i, 'job_name'], message: `found multiple scrape configs with job name ${JSON.stringify(j.job_name)}` });
      seen.add(j.job_name);
    });
  });

export type ScrapeFile = z.infer<typeof scrapeFileSchema>;
export type ScrapeJobYaml = z.infer<typeof scrapeJobSchema>;
