import { createHash } from 'node:crypto';
import { isValidLabelName } from '../../core/index.js';
import type { RelabelConfig } from './scrapeConfigSchema.js';
import type { RelabelRegex } from './relabelRegex.js';
import { compileRelabelRegex, expandTemplate } from './relabelRegex.js';

/** One compiled relabel_configs entry. */
export interface RelabelRule {
  readonly action: RelabelConfig['action'];
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RelabelRegex;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly modulus: number;
}

export function compileRelabelRules(configs: readonly RelabelConfig[]): RelabelRule[] {
  return configs.map((c) => ({
    action: c.action,
    sourceLabels: c.source_labels,
    separator: c.separator,
    regex: compileRelabelRegex(c.regex),
    targetLabel: c.target_label,
    replacement: c.replacement,
    modulus: c.modulus,
  }));
}

/**
 * Applies `rules` in order, as Prometheus 2.42's relabel.Process does, changing `labels` in
 * place. Returns false when a keep/drop/keepequal/dropequal rule dropped the label set. Setting
 * a label to the empty string removes it.
 */
export function relabel(labels: Record<string, string>, rules: readonly RelabelRule[]): boolean {
  for (const rule of rules) if (!applyRule(labels, rule)) return false;
  return true;
}

function set(labels: Record<string, string>, name: string, value: string): void {
  if (value === '') delete labels[name];
  else labels[name] = value;
}

function applyRule(labels: Record<string, string>, rule: RelabelRule): boolean {
  const value = rule.sourceLabels.length === 1 ? (labels[rule.sourceLabels[0] as string] ?? '') : rule.sourceLabels.map((n) => labels[n] ?? '').join(rule.separator);
  switch (rule.action) {
    case 'drop':
      return !rule.regex.test(value);
    case 'keep':
      return rule.regex.test(value);
    case 'dropequal':
      return (labels[rule.targetLabel] ?? '') !== value;
    case 'keepequal':
      return (labels[rule.targetLabel] ?? '') === value;
    case 'replace': {
      const match = rule.regex.match(value);
      if (match === undefined) return true; // no match, no change
      const target = expandTemplate(rule.targetLabel, match);
      if (!isValidLabelName(target)) {
        delete labels[rule.targetLabel];
        return true;
      }
      set(labels, target, expandTemplate(rule.replacement, match));
      return true;
    }
    case 'lowercase':
      set(labels, rule.targetLabel, value.toLowerCase());
      return true;
    case 'uppercase':
      set(labels, rule.targetLabel, value.toUpperCase());
      return true;
    case 'hashmod': {
      // The last 8 bytes of the MD5, big-endian, modulo: the same target split as Prometheus.
      const digest = createHash('md5').update(value).digest();
      set(labels, rule.targetLabel, String(digest.readBigUInt64BE(8) % BigInt(rule.modulus)));
      return true;
    }
    case 'labelmap': {
      const entries = Object.entries(labels); // read from the input, as Prometheus does
      for (const [name, v] of entries) {
        const match = rule.regex.match(name);
        if (match !== undefined) set(labels, expandTemplate(rule.replacement, match), v);
      }
      return true;
    }
    case 'labeldrop':
      for (const name of Object.keys(labels)) if (rule.regex.test(name)) delete labels[name];
      return true;
    case 'labelkeep':
      for (const name of Object.keys(labels)) if (!rule.regex.test(name)) delete labels[name];
      return true;
  }
}
