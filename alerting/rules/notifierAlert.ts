/**
 * An alert as Prometheus hands it to its notifier and as Alertmanager's API v2 takes it
 * (POST /api/v2/alerts): times are RFC 3339; endsAt in the future means "still firing, unless
 * refreshed before then".
 */
export interface NotifierAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
}

/** Receives the alerts a rule group sends after each evaluation; must not throw. */
export type NotifyFunc = (alerts: readonly NotifierAlert[]) => void;

/** The Prometheus UI link to a rule's expression (strutil.TableLinkForExpression). */
export function tableLink(externalURL: string, expr: string): string {
  return `${externalURL.replace(/\/$/, '')}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;
}
