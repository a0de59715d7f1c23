import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatZodIssues, parseDurationMs } from '../../core/index.js';
import type { AmMatcher } from './amMatchers.js';
import { makeMatcher, parseMatcher } from './amMatchers.js';

/** Largest notification config read. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const duration = z.string().refine((s) => parseDurationMs(s) !== undefined, 'a duration such as 30s, 5m or 4h');

interface RouteInput {
  receiver?: string | undefined;
  group_by?: string[] | undefined;
  continue?: boolean | undefined;
  matchers?: string[] | undefined;
  match?: Record<string, string> | undefined;
  match_re?: Record<string, string> | undefined;
  group_wait?: string | undefined;
  group_interval?: string | undefined;
  repeat_interval?: string | undefined;
  mute_time_intervals?: string[] | undefined;
  active_time_intervals?: string[] | undefined;
  routes?: RouteInput[] | undefined;
}

const routeSchema: z.ZodType<RouteInput> = z.lazy(() =>
  z
    .object({
      receiver: z.string().optional(),
      group_by: z.array(z.string()).optional(),
      continue: z.boolean().optional(),
      matchers: z.array(z.string()).optional(),
      match: z.record(z.string(), z.string()).optional(),
      match_re: z.record(z.string(), z.string()).optional(),
      group_wait: duration.optional(),
      group_interval: duration.optional(),
      repeat_interval: duration.optional(),
      mute_time_intervals: z.array(z.string()).optional(),
      active_time_intervals: z.array(z.string()).optional(),
      routes: z.array(routeSchema).optional(),
    })
    .strict(),
);

/**
 * Alertmanager's webhook_config, plus two Vigil extensions: `headers` (sent with every request)
 * and `hmac_secret` (an `X-Vigil-Signature: sha256=<hex>` header over the body).
 */
const webhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    send_resolved: z.boolean().default(true),
    max_alerts: z.number().int().min(0).default(0),
    headers: z.record(z.string(), z.string()).default({}),
    hmac_secret: z.string().min(16, 'at least 16 characters').optional(),
  })
  .strict();

const receiverSchema = z
  .object({
    name: z.string().min(1),
    webhook_configs: z.array(webhookSchema).default([]),
  })
  .strict();

const inhibitSchema = z
  .object({
    source_matchers: z.array(z.string()).default([]),
    target_matchers: z.array(z.string()).default([]),
    source_match: z.record(z.string(), z.string()).default({}),
    target_match: z.record(z.string(), z.string()).default({}),
    equal: z.array(z.string()).default([]),
  })
  .strict();

const fileSchema = z
  .object({
    global: z.object({ resolve_timeout: duration.optional() }).strict().default({}),
    route: routeSchema,
    receivers: z.array(receiverSchema).min(1),
    inhibit_rules: z.array(inhibitSchema).default([]),
    templates: z.array(z.string()).default([]),
  })
  .strict();

export type WebhookConfig = z.infer<typeof webhookSchema>;
export type ReceiverConfig = z.infer<typeof receiverSchema>;

/** A route with every inherited setting resolved (Alertmanager's defaults at the root). */
export interface Route {
  /** Position in the tree, e.g. "{}/0/1": part of every group key. */
  readonly id: string;
  readonly receiver: string;
  /** Labels alerts are grouped by; `['...']` groups by every label. */
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly matchers: readonly AmMatcher[];
  readonly continue: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly routes: readonly Route[];
}

export interface InhibitRule {
  readonly source: readonly AmMatcher[];
  readonly target: readonly AmMatcher[];
  readonly equal: readonly string[];
}

export interface NotifyConfig {
  readonly route: Route;
  readonly receivers: ReadonlyMap<string, ReceiverConfig>;
  readonly inhibitRules: readonly InhibitRule[];
  /** How long an alert without endsAt stays firing (global.resolve_timeout, 5m). */
  readonly resolveTimeoutMs: number;
}

/** Reads and validates an Alertmanager configuration file (the subset Vigil implements). */
export function loadNotifyConfig(file: string): NotifyConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read: ${(err as Error).message}`, { cause: err });
  }
  return parseNotifyConfig(file, text);
}

export function parseNotifyConfig(file: string, text: string): NotifyConfig {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new Error(`${file}: larger than ${MAX_CONFIG_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  const parsed = fileSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const hint = parsed.error.issues.some((i) => i.code === 'unrecognized_keys' && i.path.includes('receivers'))
      ? ' (Vigil delivers webhook_configs itself; forward to an Alertmanager with rules.alertmanagers for other receiver types)'
      : '';
    throw new Error(`${file}: ${formatZodIssues(parsed.error.issues)}${hint}`);
  }
  const cfg = parsed.data;
  const receivers = new Map<string, ReceiverConfig>();
  for (const r of cfg.receivers) {
    if (receivers.has(r.name)) throw new Error(`${file}: receivers: notification config name ${JSON.stringify(r.name)} is not unique`);
    receivers.set(r.name, r);
  }
  const where = (path: string, f: () => AmMatcher[]): AmMatcher[] => {
    try {
      return f();
    } catch (err) {
      throw new Error(`${file}: ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const toRoute = (r: RouteInput, parent: Route | undefined, id: string, path: string): Route => {
    if (r.mute_time_intervals !== undefined || r.active_time_intervals !== undefined) throw new Error(`${file}: ${path}: time intervals are not supported yet`);
    const receiver = r.receiver ?? parent?.receiver;
    if (receiver === undefined) throw new Error(`${file}: ${path}: root route must specify a default receiver`);
    if (!receivers.has(receiver)) throw new Error(`${file}: ${path}: undefined receiver ${JSON.stringify(receiver)} used in route`);
    const groupBy = r.group_by ?? parent?.groupBy ?? [];
    const matchers = where(path, () => [
      ...(r.matchers ?? []).map(parseMatcher),
      ...Object.entries(r.match ?? {}).map(([k, v]) => makeMatcher(k, '=', v)),
      ...Object.entries(r.match_re ?? {}).map(([k, v]) => makeMatcher(k, '=~', v)),
    ]);
    if (parent === undefined && matchers.length > 0) throw new Error(`${file}: route: root route must not have any matchers`);
    const children: Route[] = [];
    const route: Route = {
      id,
      receiver,
      groupBy: groupBy.includes('...') ? [] : groupBy,
      groupByAll: groupBy.includes('...'),
      matchers,
      continue: r.continue ?? false,
      groupWaitMs: r.group_wait !== undefined ? (parseDurationMs(r.group_wait) as number) : (parent?.groupWaitMs ?? 30_000),
      groupIntervalMs: r.group_interval !== undefined ? (parseDurationMs(r.group_interval) as number) : (parent?.groupIntervalMs ?? 300_000),
      repeatIntervalMs: r.repeat_interval !== undefined ? (parseDurationMs(r.repeat_interval) as number) : (parent?.repeatIntervalMs ?? 4 * 3600_000),
      routes: children,
    };
    if (route.groupIntervalMs <= 0 || route.repeatIntervalMs <= 0) throw new Error(`${file}: ${path}: group_interval and repeat_interval must be positive`);
    children.push(...(r.routes ?? []).map((c, i) => toRoute(c, route, `${id}/${i}`, `${path}.routes.${i}`)));
    return route;
  };
  const route = toRoute(cfg.route, undefined, '{}', 'route');
  const inhibitRules = cfg.inhibit_rules.map((r, i) => ({
    source: where(`inhibit_rules.${i}`, () => [...r.source_matchers.map(parseMatcher), ...Object.entries(r.source_match).map(([k, v]) => makeMatcher(k, '=', v))]),
    target: where(`inhibit_rules.${i}`, () => [...r.target_matchers.map(parseMatcher), ...Object.entries(r.target_match).map(([k, v]) => makeMatcher(k, '=', v))]),
    equal: r.equal,
  }));
  return { route, receivers, inhibitRules, resolveTimeoutMs: cfg.global.resolve_timeout === undefined ? 300_000 : (parseDurationMs(cfg.global.resolve_timeout) as number) };
}

/**
 * The routes an alert goes to (Alertmanager's Route.Match): depth first, the first matching
 * child wins unless it has `continue`; a route none of whose children match takes the alert itself.
 */
export function matchRoutes(route: Route, labels: Readonly<Record<string, string>>): Route[] {
  if (!route.matchers.every((m) => m.test(labels[m.name] ?? ''))) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const matches = matchRoutes(child, labels);
    all.push(...matches);
    if (matches.length > 0 && !child.continue) break;
  }
  return all.length === 0 ? [route] : all;
}
