import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from '../../core/index.js';
import type { NotifierAlert } from '../rules/index.js';

export interface AlertmanagerSenderOptions {
  /** Base URLs of Alertmanagers (http://host:9093); every alert goes to each, as Prometheus sends. */
  readonly urls: readonly string[];
  readonly registry: Registry;
  readonly logger: Logger;
  /** Most alerts waiting to be sent; beyond it the oldest are dropped (Prometheus' --alertmanager.notification-queue-capacity). */
  readonly queueCapacity?: number;
  /** Most alerts per request (Prometheus' maxBatchSize). */
  readonly batchSize?: number;
  /** Per-request timeout (Prometheus' default 10 s). */
  readonly timeoutMs?: number;
  /** Retries of a failed batch before giving up on that Alertmanager (the next evaluation resends firing alerts anyway). */
  readonly retries?: number;
  /** First retry delay; doubles each time. */
  readonly backoffMs?: number;
  /** Extra request headers (e.g. Authorization for an Alertmanager behind a proxy). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Sends alerts to Alertmanager's API v2 (POST /api/v2/alerts), as Prometheus' notifier: a
 * bounded queue drained in batches, one request per Alertmanager per batch, retried with
 * exponential backoff. send() never blocks the rule evaluation.
 */
export class AlertmanagerSender {
  private queue: NotifierAlert[] = [];
  private draining: Promise<void> | undefined;
  private stopped = false;
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly sent: Counter<'alertmanager'>;
  private readonly errors: Counter<'alertmanager'>;
  private readonly dropped: Counter;
  private readonly queueLength: Gauge;

  constructor(private readonly opts: AlertmanagerSenderOptions) {
    this.capacity = opts.queueCapacity ?? 10_000;
    this.batchSize = opts.batchSize ?? 64;
    const registers = [opts.registry];
    this.sent = new Counter({ name: 'vigil_notifications_sent_total', help: 'Alerts sent to each Alertmanager', labelNames: ['alertmanager'], registers });
    this.errors = new Counter({ name: 'vigil_notifications_errors_total', help: 'Alerts that could not be sent to an Alertmanager after every retry', labelNames: ['alertmanager'], registers });
    this.dropped = new Counter({ name: 'vigil_notifications_dropped_total', help: 'Alerts dropped because the queue was full', registers });
    this.queueLength = new Gauge({ name: 'vigil_notifications_queue_length', help: 'Alerts waiting to be sent', registers });
  }

  /** Queues alerts and starts draining; safe to call from any number of rule groups. */
  send(alerts: readonly NotifierAlert[]): void {
    if (this.stopped || this.opts.urls.length === 0) return;
    this.queue.push(...alerts);
    const over = this.queue.length - this.capacity;
    if (over > 0) {
      this.queue.splice(0, over);
      this.dropped.inc(over);
      this.opts.logger.warn({ dropped: over }, 'alert notification queue full, dropped the oldest alerts');
    }
    this.queueLength.set(this.queue.length);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0 && !this.stopped) this.send([]);
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      this.queueLength.set(this.queue.length);
      const body = JSON.stringify(batch);
      await Promise.all(this.opts.urls.map((url) => this.post(url, body, batch.length)));
    }
  }

  private async post(base: string, body: string, count: number): Promise<void> {
    const url = `${base.replace(/\/$/, '')}/api/v2/alerts`;
    const retries = this.opts.retries ?? 3;
    let delay = this.opts.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.opts.headers },
          body,
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer();
        if (res.ok) {
          this.sent.inc({ alertmanager: base }, count);
          return;
        }
        // 4xx will not get better by retrying: the alerts are malformed for this Alertmanager.
        if (res.status < 500) throw new Error(`HTTP ${res.status}`, { cause: 'final' });
        throw new Error(`HTTP ${res.status}`);
      } catch (err) {
        const final = (err as Error).cause === 'final' || attempt >= retries || this.stopped;
        if (final) {
          this.errors.inc({ alertmanager: base }, count);
          this.opts.logger.warn({ alertmanager: base, alerts: count, err: (err as Error).message }, 'sending alerts to Alertmanager failed');
          return;
        }
        await new Promise((r) => setTimeout(r, delay).unref());
        delay *= 2;
      }
    }
  }

  /** Sends what is queued (within the retries), then stops accepting alerts. */
  async shutdown(): Promise<void> {
    await this.draining;
    this.stopped = true;
  }
}
