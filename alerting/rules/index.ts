/**
 * Prometheus-format rules: rule files (ruleFile), alerting and recording rules evaluated in
 * groups (ruleGroup, ruleManager), alert templates (template/), the `for` state restored after a
 * restart, the Prometheus API's views of rules and alerts, and promtool's rule unit tests (unittest/).
 */
export * from './template/index.js';
export type { Alert, AlertState } from './alert.js';
export { RESOLVED_RETENTION_MS } from './alert.js';
export { AlertingRule, ALERTS_FOR_STATE_METRIC, ALERTS_METRIC, fingerprintOf } from './alertingRule.js';
export { RecordingRule } from './recordingRule.js';
export type { AlertingRuleSpec, RecordingRuleSpec, RuleGroupSpec, RuleSpec } from './ruleFile.js';
export { loadRuleFile, parseRuleFile, RuleFileError, MAX_RULE_FILE_BYTES } from './ruleFile.js';
export type { GroupOptions, GroupSinks, Rule } from './ruleGroup.js';
export { RuleGroup, groupKey } from './ruleGroup.js';
export type { RuleManagerOptions } from './ruleManager.js';
export { RuleManager } from './ruleManager.js';
export { createRuleMetrics } from './ruleMetrics.js';
export type { RuleMetrics } from './ruleMetrics.js';
export type { NotifierAlert, NotifyFunc } from './notifierAlert.js';
export type { RuleEnv, RuleQueryFunc, RuleSample } from './ruleTypes.js';
export { engineQueryFunc } from './engineQuery.js';
export { expandGlobs } from './fileGlob.js';
export { alertsApiData, rulesApiData, goJsonTime } from './rulesApi.js';
export { restoreForState } from './restoreForState.js';
export * from './unittest/index.js';
export { RecentWrites } from './recentWrites.js';
