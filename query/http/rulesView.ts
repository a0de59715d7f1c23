/**
 * What the rule evaluator shows through /api/v1/rules and /api/v1/alerts, already in
 * Prometheus' JSON shapes. query/ cannot depend on alerting/: bin/ hands an implementation
 * (alerting's RuleManager, adapted) to the API, which calls it per request.
 */
export interface RulesView {
  /** The tenant the rules evaluate in: other tenants see no rules and no alerts. */
  readonly tenant: string;
  /** The `data` of /api/v1/rules: `{groups: [...]}`, only alerting or recording rules when `type` says so. */
  rules(type: '' | 'alert' | 'record'): unknown;
  /** The `data` of /api/v1/alerts: `{alerts: [...]}`, the pending and firing alerts. */
  alerts(): unknown;
}
