import type { Labels } from '../../core/index.js';
import type { Expr } from '../../query/index.js';

/** One output element of a rule's query: a series and its value at the evaluation time. */
export interface RuleSample {
  readonly labels: Labels;
  readonly v: number;
}

/**
 * Evaluates PromQL at one instant for rules: an instant vector (a scalar becomes one element
 * without labels, as Prometheus' EngineQueryFunc does; anything else is an error).
 */
export type RuleQueryFunc = (expr: Expr | string, timeMs: number) => Promise<readonly RuleSample[]>;

/** What rules need besides their query: the labels and URL templates and notifications see. */
export interface RuleEnv {
  readonly query: RuleQueryFunc;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
}

export type RuleHealth = 'unknown' | 'ok' | 'err';

/** A rule's last evaluation, for the API. */
export interface RuleStatus {
  health: RuleHealth;
  lastError: string;
  /** Start of the last evaluation (ms); 0 before the first. */
  lastEvaluationMs: number;
  /** Wall time the last evaluation took (seconds). */
  evaluationSeconds: number;
}

export function newRuleStatus(): RuleStatus {
  return { health: 'unknown', lastError: '', lastEvaluationMs: 0, evaluationSeconds: 0 };
}
