import type { Labels } from '../../core/index.js';

export type AlertState = 'inactive' | 'pending' | 'firing';

/** How long a resolved alert is still sent to Alertmanager (Prometheus' resolvedRetention). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/**
 * One alert of an alerting rule, as Prometheus' rules.Alert: identified by its labels (the
 * query's labels without __name__, plus the rule's labels and alertname). Times are ms; 0 is
 * "never" (Go's zero time).
 */
export interface Alert {
  state: AlertState;
  readonly labels: Labels;
  /** Sorted label pairs joined: the alert's identity within its rule. */
  readonly fingerprint: string;
  annotations: Readonly<Record<string, string>>;
  value: number;
  activeAtMs: number;
  firedAtMs: number;
  resolvedAtMs: number;
  lastSentAtMs: number;
  validUntilMs: number;
  keepFiringSinceMs: number;
}

/**
 * Whether the alert goes to the notifier at `ts` (alert.needsSending): never while pending;
 * when it resolved since it was last sent; otherwise every resendDelay.
 */
export function needsSending(a: Alert, ts: number, resendDelayMs: number): boolean {
  if (a.state === 'pending') return false;
  if (a.resolvedAtMs > a.lastSentAtMs) return true;
  return a.lastSentAtMs + resendDelayMs < ts;
}
