import type { Labels } from '../../core/index.js';
import { sortLabels } from '../../core/index.js';
import { formatExpr } from '../../query/index.js';
import type { Alert } from './alert.js';
import { AlertingRule } from './alertingRule.js';
import type { RuleGroup } from './ruleGroup.js';
import type { RuleStatus } from './ruleTypes.js';

/** Go's zero time, which Prometheus reports for "never". */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A time as Go's encoding/json writes time.Time (RFC 3339, fraction without trailing zeros). */
export function goJsonTime(ms: number): string {
  if (ms === 0) return ZERO_TIME;
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** strconv.FormatFloat(v, 'e', -1, 64): how the API writes an alert's value. */
export function goExponent(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [m, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function texts(map: Readonly<Record<string, { text: string }>>): Labels {
  return sortLabels(Object.fromEntries(Object.entries(map).map(([k, t]) => [k, t.text])));
}

function apiAlert(a: Alert): Record<string, unknown> {
  return {
    labels: sortLabels(a.labels),
    annotations: sortLabels(a.annotations),
    state: a.state,
    activeAt: goJsonTime(a.activeAtMs),
    ...(a.keepFiringSinceMs === 0 ? {} : { keepFiringSince: goJsonTime(a.keepFiringSinceMs) }),
    value: goExponent(a.value),
  };
}

function byLabels(a: Alert, b: Alert): number {
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

function statusFields(s: RuleStatus): Record<string, unknown> {
  return {
    health: s.health,
    ...(s.lastError === '' ? {} : { lastError: s.lastError }),
    evaluationTime: s.evaluationSeconds,
    lastEvaluation: goJsonTime(s.lastEvaluationMs),
  };
}

/** The `data` of GET /api/v1/rules, as Prometheus 2.42 writes it. */
export function rulesApiData(groups: readonly RuleGroup[], type: '' | 'alert' | 'record'): unknown {
  return {
    groups: groups.map((g) => ({
      name: g.spec.name,
      file: g.spec.file,
      rules: g.rules
        .filter((r) => (r instanceof AlertingRule ? type !== 'record' : type !== 'alert'))
        .map((r) =>
          r instanceof AlertingRule
            ? {
                state: r.state(),
                name: r.name,
                query: formatExpr(r.spec.expr),
                duration: r.spec.forMs / 1000,
                keepFiringFor: r.spec.keepFiringForMs / 1000,
                labels: texts(r.spec.labels),
                annotations: texts(r.spec.annotations),
                alerts: r.activeAlerts().sort(byLabels).map(apiAlert),
                ...statusFields(r.status),
                type: 'alerting',
              }
            : {
                name: r.name,
                query: formatExpr(r.spec.expr),
                ...(Object.keys(r.spec.labels).length === 0 ? {} : { labels: sortLabels(r.spec.labels) }),
                ...statusFields(r.status),
                type: 'recording',
              },
        ),
      interval: g.spec.intervalMs / 1000,
      limit: g.spec.limit,
      evaluationTime: g.evaluationSeconds,
      lastEvaluation: goJsonTime(g.lastEvaluationMs),
    })),
  };
}

/** The `data` of GET /api/v1/alerts: every pending and firing alert. */
export function alertsApiData(groups: readonly RuleGroup[]): unknown {
  const alerts = groups.flatMap((g) => g.alertingRules().flatMap((r) => r.activeAlerts().sort(byLabels)));
  return { alerts: alerts.map(apiAlert) };
}
