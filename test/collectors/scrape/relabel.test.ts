import { describe, expect, it } from 'vitest';
import { compileRelabelRules, relabel, relabelConfigSchema, scrapeJobsOf } from '../../../collectors/index.js';
import { formatZodIssues } from '../../../core/index.js';
import { invalidRuleCases, relabelCases } from './relabelCases.js';

describe('relabeling, as Prometheus documents it', () => {
  it.each(relabelCases)('$name', ({ input, rules, output }) => {
    const compiled = compileRelabelRules(rules.map((r) => relabelConfigSchema.parse(r)));
    const labels = { ...input };
    const kept = relabel(labels, compiled);
    expect(kept ? labels : undefined).toEqual(output);
  });
});

describe('relabel rules Prometheus refuses', () => {
  it.each(invalidRuleCases)('$name', ({ rule, message }) => {
    const parsed = relabelConfigSchema.safeParse(rule);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(formatZodIssues(parsed.error.issues)).toContain(message);
  });

  it('an invalid RE2 regex names the job, the rule list and the pattern', () => {
    const doc = { scrape_configs: [{ job_name: 'j', metric_relabel_configs: [{ source_labels: ['a'], regex: '(unclosed', action: 'drop' }] }] };
    expect(() => scrapeJobsOf(doc, '/tmp')).toThrow(/scrape_configs\.0 \(job "j"\): metric_relabel_configs: invalid regex "\(unclosed": .*missing closing \)/);
  });

  it('look-around is not RE2 and is refused', () => {
    const doc = { scrape_configs: [{ job_name: 'j', relabel_configs: [{ source_labels: ['a'], regex: 'a(?=b)', action: 'keep' }] }] };
    expect(() => scrapeJobsOf(doc, '/tmp')).toThrow(/invalid regex "a\(\?=b\)"/);
  });
});
