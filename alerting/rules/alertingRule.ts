import type { Labels } from '../../core/index.js';
import { sortedLabelPairs } from '../../core/index.js';
import type { Alert, AlertState } from './alert.js';
import { needsSending, RESOLVED_RETENTION_MS } from './alert.js';
import type { AlertingRuleSpec } from './ruleFile.js';
import type { RuleEnv, RuleSample, RuleStatus } from './ruleTypes.js';
import { newRuleStatus } from './ruleTypes.js';

export const ALERTS_METRIC = 'ALERTS';
export const ALERTS_FOR_STATE_METRIC = 'ALERTS_FOR_STATE';

/** The identity of a label set within a rule. */
export function fingerprintOf(labels: Labels): string {
  return sortedLabelPairs(labels)
    .map(([n, v]) => `${n}\u0000${v}`)
    .join('\u0001');
}

/**
 * An alerting rule and its alerts: Prometheus 2.42's rules/alerting.go, step for step. Each
 * eval() runs the query at `ts`; new label sets become pending with ActiveAt = ts, pending ones
 * fire once ts - ActiveAt >= for, vanished ones become inactive (resolved, kept 15 minutes so the
 * resolution is sent), firing ones vanish only after keep_firing_for.
 */
export class AlertingRule {
  readonly status: RuleStatus = newRuleStatus();
  /** Alerts by fingerprint, inactive (resolved) ones included until they age out. */
  private active = new Map<string, Alert>();
  /** Whether the `for` state has been restored after a restart (ALERTS series are written only then). */
  restored: boolean;

  constructor(
    readonly spec: AlertingRuleSpec,
    restored: boolean,
  ) {
    this.restored = restored;
  }

  get name(): string {
    return this.spec.name;
  }

  /**
   * Evaluates at `ts` (ms) and returns the ALERTS and ALERTS_FOR_STATE samples to write.
   * Throws (after recording the error in status) when the query fails, two results have the
   * same labels after the rule's labels apply, or more than `limit` (> 0) alerts are active.
   */
  async eval(ts: number, env: RuleEnv, limit: number): Promise<RuleSample[]> {
    const res = await env.query(this.spec.expr, ts);
    const seen = new Map<string, Alert>();
    for (const smpl of res) {
      const data = { labels: withoutName(smpl.labels), externalLabels: env.externalLabels, externalURL: env.externalURL, value: smpl.v };
      const query = (q: string): Promise<{ Labels: Labels; Value: number }[]> => env.query(q, ts).then((r) => r.map((s) => ({ Labels: s.labels, Value: s.v })));
      const labels: Record<string, string> = { ...data.labels };
      for (const [k, t] of Object.entries(this.spec.labels)) labels[k] = await t.expand(data, query);
      labels.alertname = this.spec.name;
      // A label expanded to the empty string is no label (labels.Builder.Set with "" deletes).
      for (const k of Object.keys(labels)) if (labels[k] === '') delete labels[k];
      const annotations: Record<string, string> = {};
      for (const [k, t] of Object.entries(this.spec.annotations)) annotations[k] = await t.expand(data, query);
      const fp = fingerprintOf(labels);
      if (seen.has(fp)) throw new Error('vector contains metrics with the same labelset after applying alert labels');
      seen.set(fp, newAlert(labels, fp, annotations, ts, smpl.v));
    }

    for (const [fp, a] of seen) {
      const existing = this.active.get(fp);
      if (existing !== undefined && existing.state !== 'inactive') {
        existing.value = a.value;
        existing.annotations = a.annotations;
        continue;
      }
      this.active.set(fp, a);
    }

    const vec: RuleSample[] = [];
    let activePending = 0;
    for (const [fp, a] of this.active) {
      if (!seen.has(fp)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.spec.keepFiringForMs > 0) {
          if (a.keepFiringSinceMs === 0) a.keepFiringSinceMs = ts;
          if (ts - a.keepFiringSinceMs < this.spec.keepFiringForMs) keepFiring = true;
        }
        // A resolved alert is kept for a while, so that the resolution reaches Alertmanager.
        if (a.state === 'pending' || (a.resolvedAtMs !== 0 && ts - a.resolvedAtMs > RESOLVED_RETENTION_MS)) this.active.delete(fp);
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAtMs = ts;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSinceMs = 0;
      }
      activePending++;
      if (a.state === 'pending' && ts - a.activeAtMs >= this.spec.forMs) {
        a.state = 'firing';
        a.firedAtMs = ts;
      }
      if (this.restored) {
        vec.push({ labels: { ...a.labels, __name__: ALERTS_METRIC, alertstate: a.state }, v: 1 });
        vec.push({ labels: { ...a.labels, __name__: ALERTS_FOR_STATE_METRIC }, v: Math.floor(a.activeAtMs / 1000) });
      }
    }
    if (limit > 0 && activePending > limit) {
      this.active = new Map();
      throw new Error(`exceeded limit of ${limit} with ${activePending} alerts`);
    }
    return vec;
  }

  /** Alerts that are pending or firing (what the API lists). */
  activeAlerts(): Alert[] {
    return [...this.active.values()].filter((a) => a.state !== 'inactive');
  }

  /** Every alert still tracked, resolved ones included (what is sent and restored). */
  allAlerts(): Alert[] {
    return [...this.active.values()];
  }

  /** The highest state among the alerts: firing > pending > inactive. */
  state(): AlertState {
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) {
      if (a.state === 'firing') return 'firing';
      if (a.state === 'pending') s = 'pending';
    }
    return s;
  }

  /**
   * The alerts to send at `ts` (sendAlerts): marks them sent and valid for four intervals (or
   * resend delays), so that two failed evaluations do not resolve them at Alertmanager.
   */
  alertsToSend(ts: number, resendDelayMs: number, intervalMs: number): Alert[] {
    const out: Alert[] = [];
    const delta = Math.max(resendDelayMs, intervalMs);
    for (const a of this.active.values()) {
      if (!needsSending(a, ts, resendDelayMs)) continue;
      a.lastSentAtMs = ts;
      a.validUntilMs = ts + 4 * delta;
      out.push({ ...a });
    }
    return out;
  }

  /** Takes over the alerts of the same rule from before a reload (Group.CopyState). */
  copyStateFrom(old: AlertingRule): void {
    this.active = old.active;
    this.restored = old.restored;
    Object.assign(this.status, old.status);
  }
}

function withoutName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const { __name__: _, ...rest } = labels;
  return rest;
}

function newAlert(labels: Labels, fingerprint: string, annotations: Record<string, string>, ts: number, value: number): Alert {
  return { state: 'pending', labels, fingerprint, annotations, value, activeAtMs: ts, firedAtMs: 0, resolvedAtMs: 0, lastSentAtMs: 0, validUntilMs: 0, keepFiringSinceMs: 0 };
}
