import type { RecordingRuleSpec } from './ruleFile.js';
import { fingerprintOf } from './alertingRule.js';
import type { RuleEnv, RuleSample, RuleStatus } from './ruleTypes.js';
import { newRuleStatus } from './ruleTypes.js';

/**
 * A recording rule (Prometheus' rules/recording.go): the query's result renamed to the rule's
 * name, with the rule's labels set over the query's.
 */
export class RecordingRule {
  readonly status: RuleStatus = newRuleStatus();

  constructor(readonly spec: RecordingRuleSpec) {}

  get name(): string {
    return this.spec.name;
  }

  async eval(ts: number, env: RuleEnv, limit: number): Promise<RuleSample[]> {
    const res = await env.query(this.spec.expr, ts);
    const out: RuleSample[] = [];
    const seen = new Set<string>();
    for (const s of res) {
      const labels: Record<string, string> = { ...s.labels, __name__: this.spec.name };
      for (const [k, v] of Object.entries(this.spec.labels)) {
        if (v === '') delete labels[k];
        else labels[k] = v;
      }
      const fp = fingerprintOf(labels);
      if (seen.has(fp)) throw new Error('vector contains metrics with the same labelset after applying rule labels');
      seen.add(fp);
      out.push({ labels, v: s.v });
    }
    if (limit > 0 && out.length > limit) throw new Error(`exceeded limit ${limit} with ${out.length} series`);
    return out;
  }
}
