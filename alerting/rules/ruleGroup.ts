import type { Labels, Logger, TimeSeries } from '../../core/index.js';
import { STALE_NAN } from '../../core/index.js';
import type { Queryable } from '../../query/index.js';
import type { Alert } from './alert.js';
import { AlertingRule, fingerprintOf } from './alertingRule.js';
import type { NotifierAlert, NotifyFunc } from './notifierAlert.js';
import { tableLink } from './notifierAlert.js';
import { RecordingRule } from './recordingRule.js';
import type { RuleGroupSpec } from './ruleFile.js';
import type { RuleMetrics } from './ruleMetrics.js';
import { restoreForState } from './restoreForState.js';
import type { RuleEnv, RuleSample } from './ruleTypes.js';

export type Rule = AlertingRule | RecordingRule;

/** Where a group's output goes: series through the ingest pipeline, alerts to the notifier. */
export interface GroupSinks {
  /** Writes recorded series, ALERTS/ALERTS_FOR_STATE and staleness markers; resolves once durable. */
  readonly write: (series: readonly TimeSeries[]) => Promise<void>;
  readonly notify: NotifyFunc;
}

export interface GroupOptions {
  readonly env: RuleEnv;
  readonly sinks: GroupSinks;
  readonly logger: Logger;
  readonly metrics: RuleMetrics;
  /** How often a firing alert is re-sent (Prometheus' --rules.alert.resend-delay, 1m). */
  readonly resendDelayMs: number;
  /** Rules built on first load (not after a reload) restore their `for` state once (see restoreForState). */
  readonly restore?: { readonly queryable: Queryable; readonly outageToleranceMs: number; readonly forGracePeriodMs: number };
  readonly now: () => number;
}

/**
 * A rule group: its rules evaluated in order at aligned timestamps, every interval, as
 * Prometheus' rules.Group. Rounds never overlap; a round that overruns skips the missed ones.
 */
export class RuleGroup {
  readonly rules: readonly Rule[];
  /** Series each rule wrote in its last evaluation, to mark stale the ones that vanish. */
  private previous: Map<string, Labels>[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private shouldRestore: boolean;
  private rounds = 0;
  lastEvaluationMs = 0;
  evaluationSeconds = 0;

  constructor(
    readonly spec: RuleGroupSpec,
    private readonly opts: GroupOptions,
  ) {
    this.shouldRestore = opts.restore !== undefined;
    this.rules = spec.rules.map((r) => (r.kind === 'alerting' ? new AlertingRule(r, opts.restore === undefined) : new RecordingRule(r)));
    this.previous = this.rules.map(() => new Map());
  }

  get key(): string {
    return groupKey(this.spec.file, this.spec.name);
  }

  /**
   * The timestamp of the round at or before `nowMs`: aligned to the interval with a per-group
   * offset (a hash of file and name), so that groups spread over the interval and every round's
   * timestamp is the same whatever the process' start time (Group.EvalTimestamp).
   */
  evalTimestamp(nowMs: number): number {
    const interval = this.spec.intervalMs;
    const offset = hashString(this.key) % interval;
    const adj = nowMs - offset;
    return adj - (((adj % interval) + interval) % interval) + offset;
  }

  /** Evaluates every rule at `ts` in order, writes their output and sends their alerts. Never rejects. */
  async evaluate(ts: number): Promise<void> {
    const started = performance.now();
    const { env, sinks, metrics, logger } = this.opts;
    const labelsOfGroup = { rule_group: this.key };
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i] as Rule;
      const t0 = performance.now();
      metrics.evaluations.inc(labelsOfGroup);
      let out: RuleSample[] | undefined;
      try {
        out = await rule.eval(ts, env, this.spec.limit);
        rule.status.health = 'ok';
        rule.status.lastError = '';
      } catch (err) {
        rule.status.health = 'err';
        rule.status.lastError = (err as Error).message;
        metrics.failures.inc(labelsOfGroup);
        logger.warn({ group: this.spec.name, rule: rule.name, err: (err as Error).message }, 'rule evaluation failed');
      }
      rule.status.lastEvaluationMs = ts;
      rule.status.evaluationSeconds = (performance.now() - t0) / 1000;
      if (rule instanceof AlertingRule) {
        const alerts = rule.alertsToSend(ts, this.opts.resendDelayMs, this.spec.intervalMs);
        if (alerts.length > 0) sinks.notify(alerts.map((a) => notifierAlert(a, env, rule.spec.query)));
      }
      if (out === undefined) continue; // a failed rule writes nothing, not even staleness (as Prometheus)
      await this.write(i, out, ts);
    }
    this.lastEvaluationMs = ts;
    this.evaluationSeconds = (performance.now() - started) / 1000;
    metrics.lastDuration.set(labelsOfGroup, this.evaluationSeconds);
  }

  /** Writes one rule's samples at `ts` plus staleness markers for its series that vanished. */
  private async write(i: number, out: readonly RuleSample[], ts: number): Promise<void> {
    const current = new Map<string, Labels>();
    const series: TimeSeries[] = [];
    for (const s of out) {
      current.set(fingerprintOf(s.labels), s.labels);
      series.push({ labels: s.labels, samples: [{ t: ts, v: s.v }] });
    }
    for (const [fp, labels] of this.previous[i] as Map<string, Labels>) {
      if (!current.has(fp)) series.push({ labels, samples: [{ t: ts, v: STALE_NAN }] });
    }
    this.previous[i] = current;
    if (series.length === 0) return;
    try {
      await this.opts.sinks.write(series);
    } catch (err) {
      this.opts.metrics.writeFailures.inc({ rule_group: this.key });
      this.opts.logger.warn({ group: this.spec.name, err: (err as Error).message }, 'writing rule output failed');
    }
  }

  /** Starts evaluating every interval, first at the next aligned timestamp. */
  start(): void {
    const schedule = (): void => {
      if (this.stopped) return;
      const now = this.opts.now();
      const next = this.evalTimestamp(now) + this.spec.intervalMs;
      this.timer = setTimeout(() => void this.round(next).finally(schedule), next - now);
      this.timer.unref();
    };
    schedule();
  }

  private round(ts: number): Promise<void> {
    const missed = Math.floor((this.opts.now() - ts) / this.spec.intervalMs);
    if (missed > 0) this.opts.metrics.missed.inc({ rule_group: this.key }, missed);
    this.running = (async () => {
      await this.evaluate(ts);
      this.rounds++;
      // Restore after the second round: by then recording rules the alerts need have fresh values.
      if (this.shouldRestore && this.rounds >= 2 && this.opts.restore !== undefined) {
        this.shouldRestore = false;
        try {
          const restored = await restoreForState(this.alertingRules(), ts, this.opts.restore);
          this.opts.logger.info({ group: this.spec.name, restored }, 'restored the for state of alerts');
        } catch (err) {
          this.opts.logger.error({ group: this.spec.name, err: (err as Error).message }, 'restoring the for state of alerts failed; they start afresh');
          for (const r of this.alertingRules()) r.restored = true;
        }
      }
    })();
    return this.running;
  }

  alertingRules(): AlertingRule[] {
    return this.rules.filter((r): r is AlertingRule => r instanceof AlertingRule);
  }

  /** Takes over alerts and staleness bookkeeping of the same group before a reload (Group.CopyState). */
  copyStateFrom(old: RuleGroup): void {
    this.shouldRestore = old.shouldRestore;
    this.rounds = old.rounds;
    // Rules match by kind and name, the n-th of a name to the n-th (as Prometheus matches them).
    const byName = new Map<string, Rule[]>();
    const nameOf = (r: Rule): string => `${r instanceof AlertingRule ? 'alert' : 'record'}/${r.name}`;
    for (const r of old.rules) byName.set(nameOf(r), [...(byName.get(nameOf(r)) ?? []), r]);
    this.rules.forEach((r, i) => {
      const match = byName.get(nameOf(r))?.shift();
      if (match === undefined) return;
      const oldIndex = old.rules.indexOf(match);
      this.previous[i] = old.previous[oldIndex] ?? new Map();
      if (r instanceof AlertingRule && match instanceof AlertingRule) r.copyStateFrom(match);
      else Object.assign(r.status, match.status);
    });
  }

  /** Stops the loop after the running round; with markStale, every series it last wrote gets a staleness marker. */
  async stop(markStale: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (!markStale) return;
    const ts = this.opts.now();
    const series: TimeSeries[] = this.previous.flatMap((m) => [...m.values()].map((labels) => ({ labels, samples: [{ t: ts, v: STALE_NAN }] })));
    if (series.length > 0) await this.opts.sinks.write(series).catch(() => undefined);
  }
}

export function groupKey(file: string, name: string): string {
  return `${file};${name}`;
}

function notifierAlert(a: Alert, env: RuleEnv, expr: string): NotifierAlert {
  // External labels apply to alerts leaving the process, unless the alert sets them itself.
  return {
    labels: { ...env.externalLabels, ...a.labels },
    annotations: a.annotations,
    startsAt: new Date(a.firedAtMs).toISOString(),
    endsAt: new Date(a.resolvedAtMs !== 0 ? a.resolvedAtMs : a.validUntilMs).toISOString(),
    generatorURL: tableLink(env.externalURL, expr),
  };
}

/** FNV-1a over the string: a stable per-group offset within the interval. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
