import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';

/** The rule evaluator's self-metrics (Prometheus' prometheus_rule_* under Vigil's prefix). */
export interface RuleMetrics {
  readonly evaluations: Counter<'rule_group'>;
  readonly failures: Counter<'rule_group'>;
  readonly writeFailures: Counter<'rule_group'>;
  readonly missed: Counter<'rule_group'>;
  readonly lastDuration: Gauge<'rule_group'>;
  readonly notifications: Counter<'rule_group'>;
}

export function createRuleMetrics(registry: Registry): RuleMetrics {
  const counter = (name: string, help: string): Counter<'rule_group'> => new Counter({ name, help, labelNames: ['rule_group'], registers: [registry] });
  return {
    evaluations: counter('vigil_rule_evaluations_total', 'Rule evaluations, per group'),
    failures: counter('vigil_rule_evaluation_failures_total', 'Rule evaluations that failed (query error, duplicate labels, limit)'),
    writeFailures: counter('vigil_rule_write_failures_total', 'Rule outputs the ingest pipeline refused'),
    missed: counter('vigil_rule_group_iterations_missed_total', 'Rounds skipped because the previous round overran the interval'),
    lastDuration: new Gauge({ name: 'vigil_rule_group_last_duration_seconds', help: 'How long the last round of the group took', labelNames: ['rule_group'], registers: [registry] }),
    notifications: counter('vigil_rule_notifications_total', 'Alerts handed to the notifier'),
  };
}
