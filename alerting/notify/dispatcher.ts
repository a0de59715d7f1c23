import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import type { Logger } from '../../core/index.js';
import type { NotifierAlert } from '../rules/index.js';
import { matchesAllAm } from './amMatchers.js';
import { alertFingerprint } from './fingerprint.js';
import type { LogEntry } from './notificationLog.js';
import { NotificationLog } from './notificationLog.js';
import type { NotifyConfig, Route, WebhookConfig } from './notifyConfig.js';
import { matchRoutes } from './notifyConfig.js';
import { ForbiddenDestinationError, postJson } from './safeHttp.js';
import type { Silences } from './silences.js';
import type { WebhookAlert, WebhookPayload } from './webhookPayload.js';
import { common } from './webhookPayload.js';

interface StoredAlert {
  readonly fingerprint: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAt: number;
  endsAt: number;
  generatorURL: string;
}

interface AggregationGroup {
  readonly key: string;
  readonly route: Route;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly alerts: Set<string>;
  timer: NodeJS.Timeout | undefined;
  flushed: boolean;
  flushing: Promise<void> | undefined;
}

/** The dispatcher's self-metrics, created once per registry (a reload builds a new dispatcher). */
export interface NotifyMetrics {
  readonly delivered: Counter<'receiver'>;
  readonly failed: Counter<'receiver'>;
}

export function createNotifyMetrics(registry: Registry): NotifyMetrics {
  return {
    delivered: new Counter({ name: 'vigil_notify_deliveries_total', help: 'Webhook notifications delivered, per receiver', labelNames: ['receiver'], registers: [registry] }),
    failed: new Counter({ name: 'vigil_notify_delivery_failures_total', help: 'Webhook notifications that failed after every retry', labelNames: ['receiver'], registers: [registry] }),
  };
}

export interface DispatcherOptions {
  readonly config: NotifyConfig;
  readonly metrics: NotifyMetrics;
  readonly logger: Logger;
  /** The notification log file; none keeps it in memory (tests). */
  readonly logFile?: string;
  /** $externalURL of the payloads. */
  readonly externalURL: string;
  /** Allow webhooks to link-local and cloud metadata addresses. */
  readonly allowLinkLocal: boolean;
  readonly now?: () => number;
  /** Delivery attempts per notification and the first retry delay (doubling). */
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
  /** Silences that mute alerts (Alertmanager's API v2 silences); none mutes nothing. */
  readonly silences?: Silences;
}

/** An alert as Alertmanager's GET /api/v2/alerts reports it. */
export interface AlertView {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
  readonly receivers: readonly string[];
  readonly state: 'active' | 'suppressed';
  readonly silencedBy: readonly string[];
  readonly inhibited: boolean;
}

/**
 * Alertmanager's dispatch pipeline for webhook receivers: alerts are routed through the tree,
 * gathered into aggregation groups per route and group_by labels, flushed after group_wait and
 * then every group_interval; inhibited alerts are dropped; a group is delivered only when the
 * notification log says something changed or repeat_interval passed; deliveries are retried with
 * backoff and recorded durably.
 */
export class Dispatcher {
  private readonly alerts = new Map<string, StoredAlert>();
  private readonly groups = new Map<string, AggregationGroup>();
  private readonly log: NotificationLog;
  private readonly now: () => number;
  private readonly delivered: Counter<'receiver'>;
  private readonly failed: Counter<'receiver'>;
  private stopped = false;

  constructor(private readonly opts: DispatcherOptions) {
    this.log = new NotificationLog(opts.logFile);
    this.now = opts.now ?? Date.now;
    this.delivered = opts.metrics.delivered;
    this.failed = opts.metrics.failed;
  }

  /** Takes alerts from the rule evaluator (or any Alertmanager client); never throws. */
  receive(alerts: readonly NotifierAlert[]): void {
    if (this.stopped) return;
    const now = this.now();
    for (const a of alerts) {
      const fingerprint = alertFingerprint(a.labels);
      const startsAt = Date.parse(a.startsAt);
      const endsAt = a.endsAt === '' ? now + this.opts.config.resolveTimeoutMs : Date.parse(a.endsAt);
      const old = this.alerts.get(fingerprint);
      // Merge as Alertmanager does: the earliest start of the same firing, the latest word on its end.
      const stored: StoredAlert = { fingerprint, labels: a.labels, annotations: a.annotations, startsAt: old !== undefined && old.endsAt > now ? Math.min(old.startsAt, startsAt) : startsAt, endsAt, generatorURL: a.generatorURL };
      this.alerts.set(fingerprint, stored);
      for (const route of matchRoutes(this.opts.config.route, a.labels)) this.addToGroup(route, stored, now);
    }
  }

  private addToGroup(route: Route, alert: StoredAlert, now: number): void {
    const groupLabels = route.groupByAll ? { ...alert.labels } : Object.fromEntries(route.groupBy.filter((l) => l in alert.labels).map((l) => [l, alert.labels[l] as string]));
    const key = `${route.id}:${JSON.stringify(Object.entries(groupLabels).sort())}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { key, route, groupLabels, alerts: new Set(), timer: undefined, flushed: false, flushing: undefined };
      this.groups.set(key, g);
      // An alert older than group_wait is sent at once (Alertmanager's aggrGroup.insert).
      this.schedule(g, alert.startsAt + route.groupWaitMs < now ? 0 : route.groupWaitMs);
    }
    g.alerts.add(alert.fingerprint);
  }

  private schedule(g: AggregationGroup, delayMs: number): void {
    clearTimeout(g.timer);
    g.timer = setTimeout(() => {
      g.flushing = this.flush(g).finally(() => {
        g.flushing = undefined;
        if (this.stopped) return;
        if (g.alerts.size === 0) this.groups.delete(g.key);
        else this.schedule(g, g.route.groupIntervalMs);
      });
    }, delayMs);
    g.timer.unref();
  }

  /** Firing alerts that some firing source alert of an inhibit rule mutes. */
  private inhibited(alert: StoredAlert, now: number): boolean {
    for (const rule of this.opts.config.inhibitRules) {
      if (!matchesAllAm(rule.target, alert.labels)) continue;
      for (const src of this.alerts.values()) {
        if (src.endsAt <= now || src.fingerprint === alert.fingerprint || !matchesAllAm(rule.source, src.labels)) continue;
        if (rule.equal.every((l) => (src.labels[l] ?? '') === (alert.labels[l] ?? ''))) return true;
      }
    }
    return false;
  }

  private async flush(g: AggregationGroup): Promise<void> {
    const now = this.now();
    const members = [...g.alerts].map((fp) => this.alerts.get(fp)).filter((a): a is StoredAlert => a !== undefined);
    const active = members.filter((a) => !(a.endsAt > now && (this.inhibited(a, now) || (this.opts.silences?.mutedBy(a.labels, now).length ?? 0) > 0)));
    const firing = active.filter((a) => a.endsAt > now);
    const resolved = active.filter((a) => a.endsAt <= now);
    const receiver = this.opts.config.receivers.get(g.route.receiver);
    let ok = true;
    for (const [i, webhook] of (receiver?.webhook_configs ?? []).entries()) {
      const logKey = `${g.key}/${i}`;
      const entry = this.log.get(logKey, g.route.receiver);
      if (!needsUpdate(entry, firing, resolved, webhook.send_resolved, g.route.repeatIntervalMs, now)) continue;
      const delivered = await this.deliver(g, webhook, firing, webhook.send_resolved ? resolved : []);
      if (delivered) this.log.record(logKey, g.route.receiver, { firing: firing.map((a) => a.fingerprint), resolved: resolved.map((a) => a.fingerprint), timestamp: now });
      ok &&= delivered;
    }
    g.flushed = true;
    // Resolved alerts leave the group once their resolution went out (or there was nothing to send).
    if (ok) {
      for (const a of resolved) {
        g.alerts.delete(a.fingerprint);
        if (![...this.groups.values()].some((other) => other.alerts.has(a.fingerprint))) this.alerts.delete(a.fingerprint);
      }
    }
  }

  private async deliver(g: AggregationGroup, webhook: WebhookConfig, firing: readonly StoredAlert[], resolved: readonly StoredAlert[]): Promise<boolean> {
    const all = [...firing, ...resolved];
    const sent = webhook.max_alerts > 0 ? all.slice(0, webhook.max_alerts) : all;
    const asWebhook = (a: StoredAlert, status: 'firing' | 'resolved'): WebhookAlert => ({
      status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.startsAt).toISOString(),
      endsAt: status === 'resolved' ? new Date(a.endsAt).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    });
    const payload: WebhookPayload = {
      version: '4',
      groupKey: g.key,
      truncatedAlerts: all.length - sent.length,
      status: firing.length > 0 ? 'firing' : 'resolved',
      receiver: g.route.receiver,
      groupLabels: g.groupLabels,
      commonLabels: common(all.map((a) => a.labels)),
      commonAnnotations: common(all.map((a) => a.annotations)),
      externalURL: this.opts.externalURL,
      alerts: sent.map((a) => asWebhook(a, firing.includes(a) ? 'firing' : 'resolved')),
    };
    const body = JSON.stringify(payload);
    let delay = this.opts.backoffMs ?? 1000;
    const attempts = this.opts.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const status = await postJson(webhook.url, body, {
          headers: webhook.headers,
          ...(webhook.hmac_secret === undefined ? {} : { hmacSecret: webhook.hmac_secret }),
          timeoutMs: this.opts.timeoutMs ?? 10_000,
          allowLinkLocal: this.opts.allowLinkLocal,
        });
        if (status >= 200 && status < 300) {
          this.delivered.inc({ receiver: g.route.receiver });
          return true;
        }
        if (status < 500 && status !== 429) throw Object.assign(new Error(`HTTP ${status}`), { final: true });
        throw new Error(`HTTP ${status}`);
      } catch (err) {
        const final = (err as { final?: boolean }).final === true || err instanceof ForbiddenDestinationError;
        if (final || attempt >= attempts || this.stopped) {
          this.failed.inc({ receiver: g.route.receiver });
          this.opts.logger.warn({ receiver: g.route.receiver, url: webhook.url, err: (err as Error).message, attempt }, 'webhook notification failed');
          return false;
        }
        await new Promise((r) => setTimeout(r, delay).unref());
        delay *= 2;
      }
    }
  }

  /** The alerts held (firing, and resolved ones not yet notified), for GET /api/v2/alerts. */
  alertViews(): AlertView[] {
    const now = this.now();
    return [...this.alerts.values()].map((a) => {
      const silencedBy = this.opts.silences?.mutedBy(a.labels, now) ?? [];
      const inhibited = a.endsAt > now && this.inhibited(a, now);
      return {
        fingerprint: a.fingerprint,
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        generatorURL: a.generatorURL,
        receivers: matchRoutes(this.opts.config.route, a.labels).map((r) => r.receiver),
        state: silencedBy.length > 0 || inhibited ? 'suppressed' : 'active',
        silencedBy,
        inhibited,
      };
    });
  }

  /** Stops timers; waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const g of this.groups.values()) clearTimeout(g.timer);
    await Promise.all([...this.groups.values()].map((g) => g.flushing));
  }
}

/** Alertmanager's DedupStage.needsUpdate, over fingerprints. */
export function needsUpdate(entry: LogEntry | undefined, firing: readonly { fingerprint: string }[], resolved: readonly { fingerprint: string }[], sendResolved: boolean, repeatMs: number, now: number): boolean {
  if (entry === undefined) return firing.length > 0;
  const loggedFiring = new Set(entry.firing);
  if (!firing.every((a) => loggedFiring.has(a.fingerprint))) return true;
  if (firing.length === 0) return entry.firing.length > 0;
  const loggedResolved = new Set(entry.resolved);
  if (sendResolved && !resolved.every((a) => loggedResolved.has(a.fingerprint))) return true;
  return entry.timestamp < now - repeatMs;
}
