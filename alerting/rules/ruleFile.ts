import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatZodIssues, isValidLabelName, isValidMetricName, parseDurationMs, quote } from '../../core/index.js';
import type { Expr } from '../../query/index.js';
import { parseExpr } from '../../query/index.js';
import { AlertTemplate } from './template/index.js';

/** Largest rule file read (Prometheus has no limit; a runaway file must not exhaust memory). */
export const MAX_RULE_FILE_BYTES = 16 * 1024 * 1024;

const duration = z.string().refine((s) => parseDurationMs(s) !== undefined, 'a duration such as 30s, 5m or 1h30m');
const labelMap = z.record(z.string(), z.string()).default({});

/** Prometheus' rulefmt, field for field; unknown fields are errors, as in Prometheus' strict YAML. */
const ruleSchema = z
  .object({
    record: z.string().optional(),
    alert: z.string().optional(),
    expr: z.string().min(1, 'field expr must be set in rule'),
    for: duration.optional(),
    keep_firing_for: duration.optional(),
    labels: labelMap,
    annotations: labelMap,
  })
  .strict();

const groupSchema = z
  .object({
    name: z.string().min(1, 'groupname must not be empty'),
    interval: duration.optional(),
    limit: z.number().int().min(0).optional(),
    rules: z.array(ruleSchema).default([]),
  })
  .strict();

const fileSchema = z.object({ groups: z.array(groupSchema).default([]) }).strict();

/** A validated rule, with its expression parsed and its templates compiled once. */
export type RuleSpec = AlertingRuleSpec | RecordingRuleSpec;

export interface AlertingRuleSpec {
  readonly kind: 'alerting';
  readonly name: string;
  readonly query: string;
  readonly expr: Expr;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly labels: Readonly<Record<string, AlertTemplate>>;
  readonly annotations: Readonly<Record<string, AlertTemplate>>;
}

export interface RecordingRuleSpec {
  readonly kind: 'recording';
  readonly name: string;
  readonly query: string;
  readonly expr: Expr;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RuleGroupSpec {
  readonly file: string;
  readonly name: string;
  /** Evaluation interval: the group's own, else the global one. */
  readonly intervalMs: number;
  /** Most alerts (or recorded series) one rule may produce; 0 means no limit. */
  readonly limit: number;
  readonly rules: readonly RuleSpec[];
}

/** A rule file that cannot be used: every problem found, each naming file, group and rule. */
export class RuleFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'RuleFileError';
  }
}

/** Reads and validates one rule file; throws RuleFileError listing every problem. */
export function loadRuleFile(file: string, defaultIntervalMs: number): RuleGroupSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RuleFileError([`${file}: cannot read: ${(err as Error).message}`]);
  }
  return parseRuleFile(file, text, defaultIntervalMs);
}

/** Validates the text of a rule file named `file` (the name only appears in messages and specs). */
export function parseRuleFile(file: string, text: string, defaultIntervalMs: number): RuleGroupSpec[] {
  if (Buffer.byteLength(text) > MAX_RULE_FILE_BYTES) throw new RuleFileError([`${file}: larger than ${MAX_RULE_FILE_BYTES} bytes`]);
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (err) {
    throw new RuleFileError([`${file}: not valid YAML: ${(err as Error).message}`]);
  }
  const parsed = fileSchema.safeParse(doc ?? {});
  if (!parsed.success) throw new RuleFileError([`${file}: ${formatZodIssues(parsed.error.issues)}`]);

  const problems: string[] = [];
  const seen = new Set<string>();
  const groups: RuleGroupSpec[] = [];
  for (const g of parsed.data.groups) {
    const where = `${file}: group ${quote(g.name)}`;
    if (seen.has(g.name)) problems.push(`${where}: groupname ${quote(g.name)} is repeated in the same file`);
    seen.add(g.name);
    const rules: RuleSpec[] = [];
    g.rules.forEach((r, i) => {
      const what = r.alert !== undefined ? `alert ${quote(r.alert)}` : r.record !== undefined ? `record ${quote(r.record)}` : 'unnamed';
      const report = (msg: string): void => void problems.push(`${where}, rule ${i + 1} (${what}): ${msg}`);
      const rule = validateRule(r, report);
      if (rule !== undefined) rules.push(rule);
    });
    const intervalMs = g.interval === undefined ? defaultIntervalMs : (parseDurationMs(g.interval) as number);
    if (intervalMs <= 0) problems.push(`${where}: interval must be positive`);
    groups.push({ file, name: g.name, intervalMs, limit: g.limit ?? 0, rules });
  }
  if (problems.length > 0) throw new RuleFileError(problems);
  return groups;
}

function validateRule(r: z.infer<typeof ruleSchema>, report: (msg: string) => void): RuleSpec | undefined {
  const before = { count: 0 };
  const fail = (msg: string): void => {
    before.count++;
    report(msg);
  };
  if (r.record !== undefined && r.alert !== undefined) fail('only one of \'record\' and \'alert\' must be set');
  if (r.record === undefined && r.alert === undefined) fail('one of \'record\' or \'alert\' must be set');
  let expr: Expr | undefined;
  try {
    expr = parseExpr(r.expr);
  } catch (err) {
    fail(`could not parse expression: ${(err as Error).message}`);
  }
  for (const name of Object.keys(r.labels)) {
    if (!isValidLabelName(name)) fail(`invalid label name: ${name}`);
  }
  if (r.record !== undefined) {
    if (!isValidMetricName(r.record)) fail(`invalid recording rule name: ${r.record}`);
    if (Object.keys(r.annotations).length > 0) fail('invalid field \'annotations\' in recording rule');
    if (r.for !== undefined) fail('invalid field \'for\' in recording rule');
    if (r.keep_firing_for !== undefined) fail('invalid field \'keep_firing_for\' in recording rule');
    if (before.count > 0 || expr === undefined) return undefined;
    return { kind: 'recording', name: r.record, query: r.expr, expr, labels: r.labels };
  }
  const name = r.alert ?? '';
  if (name === '') fail('field \'alert\' must not be empty');
  for (const n of Object.keys(r.annotations)) if (!isValidLabelName(n)) fail(`invalid annotation name: ${n}`);
  const compile = (kind: string, map: Readonly<Record<string, string>>): Record<string, AlertTemplate> => {
    const out: Record<string, AlertTemplate> = {};
    for (const [k, text] of Object.entries(map)) {
      const t = new AlertTemplate(`__alert_${name}`, text);
      if (t.error !== undefined) fail(`${kind} ${quote(k)}: ${t.error}`);
      out[k] = t;
    }
    return out;
  };
  const labels = compile('label', r.labels);
  const annotations = compile('annotation', r.annotations);
  if (before.count > 0 || expr === undefined) return undefined;
  return {
    kind: 'alerting',
    name,
    query: r.expr,
    expr,
    forMs: r.for === undefined ? 0 : (parseDurationMs(r.for) as number),
    keepFiringForMs: r.keep_firing_for === undefined ? 0 : (parseDurationMs(r.keep_firing_for) as number),
    labels,
    annotations,
  };
}
