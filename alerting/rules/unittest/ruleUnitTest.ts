import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Registry } from 'prom-client';
import type { Labels, Logger } from '../../../core/index.js';
import { createLogger, formatDurationMs, formatZodIssues, parseDurationMs } from '../../../core/index.js';
import type { Engine } from '../../../query/index.js';
import { createEngine, expandSeriesValues, parseSeriesLabels } from '../../../query/index.js';
import { AlertingRule } from '../alertingRule.js';
import { engineQueryFunc } from '../engineQuery.js';
import { expandGlobs } from '../fileGlob.js';
import type { RuleGroupSpec } from '../ruleFile.js';
import { loadRuleFile, RuleFileError } from '../ruleFile.js';
import { RuleGroup } from '../ruleGroup.js';
import { createRuleMetrics } from '../ruleMetrics.js';
import { MemoryStorage } from './memoryStorage.js';
import { compareLabelSets, goDurationString, goExponentUpper, indentLines, labelsString } from './promText.js';
import type { TestGroup, UnitTestFile } from './unitTestFile.js';
import { unitTestFileSchema } from './unitTestFile.js';

/** The outcome of one test file: promtool's error texts, empty when it passed. */
export interface UnitTestResult {
  readonly file: string;
  readonly errors: readonly string[];
}

/**
 * Runs one rule unit-test file as `promtool test rules` does (cmd/promtool/unittest.go):
 * input series loaded from time 0, every group evaluated at 0, interval, 2×interval, … up to the
 * latest eval_time, firing alerts compared at each alert test's time, PromQL tests evaluated on
 * the result. Errors are worded as promtool words them.
 */
export async function runRuleUnitTestFile(file: string): Promise<UnitTestResult> {
  let doc: UnitTestFile;
  try {
    const raw: unknown = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 100 });
    const parsed = unitTestFileSchema.safeParse(raw ?? {});
    if (!parsed.success) return { file, errors: [formatZodIssues(parsed.error.issues)] };
    doc = parsed.data;
  } catch (err) {
    return { file, errors: [(err as Error).message] };
  }
  const base = dirname(file);
  const ruleFiles = expandGlobs(doc.rule_files.map((f) => (isAbsolute(f) ? f : join(base, f))));
  const evalInterval = parseDurationMs(doc.evaluation_interval ?? '1m') as number;
  const order = new Map<string, number>();
  for (const [i, name] of doc.group_eval_order.entries()) {
    if (order.has(name)) return { file, errors: [`group name repeated in evaluation order: ${name}`] };
    order.set(name, i);
  }
  const engine = createEngine({ evaluationIntervalMs: evalInterval });
  const errors: string[] = [];
  for (const group of doc.tests) {
    const interval = group.interval === undefined ? evalInterval : (parseDurationMs(group.interval) as number);
    errors.push(...(await runTestGroup(group, interval, evalInterval, order, ruleFiles, engine)));
  }
  return { file, errors };
}

async function runTestGroup(tg: TestGroup, interval: number, evalInterval: number, order: ReadonlyMap<string, number>, ruleFiles: readonly string[], engine: Engine): Promise<string[]> {
  const storage = new MemoryStorage();
  try {
    for (const s of tg.input_series) {
      const labels = parseSeriesLabels(s.series);
      const samples = expandSeriesValues(s.values)
        .map((v, k) => (v === undefined ? undefined : { t: k * interval, v }))
        .filter((p): p is { t: number; v: number } => p !== undefined);
      storage.append([{ labels, samples }]);
    }
  } catch (err) {
    return [(err as Error).message];
  }

  let specs: RuleGroupSpec[] = [];
  try {
    const problems: string[] = [];
    for (const f of ruleFiles) {
      try {
        specs.push(...loadRuleFile(f, interval));
      } catch (err) {
        if (err instanceof RuleFileError) problems.push(...err.problems);
        else throw err;
      }
    }
    if (problems.length > 0) return problems;
  } catch (err) {
    return [(err as Error).message];
  }
  specs = specs.map((s, i) => ({ s, i })).sort((a, b) => (order.get(a.s.name) ?? 0) - (order.get(b.s.name) ?? 0) || a.i - b.i).map(({ s }) => s);

  const env = { query: engineQueryFunc(engine, storage), externalLabels: tg.external_labels, externalURL: tg.external_url };
  const logger: Logger = createLogger('silent');
  const metrics = createRuleMetrics(new Registry());
  const groups = specs.map(
    (spec) =>
      new RuleGroup(spec, {
        env,
        sinks: { write: (series) => Promise.resolve(storage.append(series)), notify: () => undefined },
        logger,
        metrics,
        resendDelayMs: 60_000,
        now: () => 0,
      }),
  );

  const alertTimes = [...new Set(tg.alert_rule_test.map((t) => parseDurationMs(t.eval_time) as number))].sort((a, b) => a - b);
  for (const t of tg.alert_rule_test) if (t.alertname === '') return ['an alert rule test needs an alertname'];
  const maxt = Math.max(0, ...alertTimes, ...tg.promql_expr_test.map((t) => parseDurationMs(t.eval_time) as number));
  const errs: string[] = [];
  let curr = 0;
  const testName = tg.name === '' ? '' : `    name: ${tg.name},\n`;
  for (let ts = 0; ts <= maxt; ts += evalInterval) {
    const evalErrs: string[] = [];
    for (const g of groups) {
      await g.evaluate(ts);
      for (const r of g.rules) if (r.status.health === 'err') evalErrs.push(`    rule: ${r.name}, time: ${goDurationString(ts)}, err: ${r.status.lastError}`);
    }
    errs.push(...evalErrs);
    if (evalErrs.length > 0) return errs;

    // Alert tests whose eval_time falls in [ts, ts + evalInterval) compare with this round.
    while (curr < alertTimes.length && ts <= (alertTimes[curr] as number) && (alertTimes[curr] as number) < ts + evalInterval) {
      const t = alertTimes[curr] as number;
      const tests = tg.alert_rule_test.filter((a) => parseDurationMs(a.eval_time) === t);
      const names = new Set(tests.map((a) => a.alertname));
      const got = new Map<string, LabelsAndAnnotations[]>();
      for (const g of groups) {
        for (const r of g.rules) {
          if (!(r instanceof AlertingRule) || !names.has(r.name)) continue;
          const firing = r.activeAlerts().filter((a) => a.state === 'firing');
          got.set(r.name, [...(got.get(r.name) ?? []), ...firing.map((a) => ({ labels: a.labels, annotations: a.annotations }))]);
        }
      }
      for (const tc of tests) {
        const gotAlerts = sortLa(got.get(tc.alertname) ?? []);
        const expAlerts = sortLa(tc.exp_alerts.map((a) => ({ labels: { ...a.exp_labels, alertname: tc.alertname }, annotations: a.exp_annotations })));
        if (!sameLa(expAlerts, gotAlerts)) {
          errs.push(
            `${testName}    alertname: ${tc.alertname}, time: ${formatDurationMs(t)}, \n        exp:${indentLines(laString(expAlerts), '            ')}, \n        got:${indentLines(laString(gotAlerts), '            ')}`,
          );
        }
      }
      curr++;
    }
  }

  const query = engineQueryFunc(engine, storage);
  for (const tc of tg.promql_expr_test) {
    const at = parseDurationMs(tc.eval_time) as number;
    let got: { labels: Labels; v: number }[];
    try {
      got = [...(await query(tc.expr, at))];
    } catch (err) {
      errs.push(`    expr: ${JSON.stringify(tc.expr)}, time: ${formatDurationMs(at)}, err: ${(err as Error).message}`);
      continue;
    }
    let exp: { labels: Labels; v: number }[];
    try {
      exp = tc.exp_samples.map((s) => ({ labels: s.labels === '' ? {} : parseLabelsOf(s.labels), v: s.value }));
    } catch (err) {
      errs.push(`    expr: ${JSON.stringify(tc.expr)}, time: ${formatDurationMs(at)}, err: ${(err as Error).message}`);
      continue;
    }
    exp.sort((a, b) => compareLabelSets(a.labels, b.labels));
    got.sort((a, b) => compareLabelSets(a.labels, b.labels));
    const same = exp.length === got.length && exp.every((e, i) => compareLabelSets(e.labels, (got[i] as { labels: Labels }).labels) === 0 && e.v === (got[i] as { v: number }).v);
    if (!same) errs.push(`    expr: ${JSON.stringify(tc.expr)}, time: ${formatDurationMs(at)},\n        exp: ${samplesString(exp)}\n        got: ${samplesString(got)}`);
  }
  return errs;
}

function parseLabelsOf(text: string): Labels {
  try {
    return parseSeriesLabels(text);
  } catch (err) {
    throw new Error(`labels ${JSON.stringify(text)}: ${(err as Error).message}`, { cause: err });
  }
}

interface LabelsAndAnnotations {
  readonly labels: Labels;
  readonly annotations: Labels;
}

function sortLa(la: LabelsAndAnnotations[]): LabelsAndAnnotations[] {
  return la.sort((a, b) => compareLabelSets(a.labels, b.labels) || compareLabelSets(a.annotations, b.annotations));
}

function sameLa(a: readonly LabelsAndAnnotations[], b: readonly LabelsAndAnnotations[]): boolean {
  return a.length === b.length && a.every((x, i) => compareLabelSets(x.labels, (b[i] as LabelsAndAnnotations).labels) === 0 && compareLabelSets(x.annotations, (b[i] as LabelsAndAnnotations).annotations) === 0);
}

/** promtool's labelsAndAnnotations.String(). */
function laString(la: readonly LabelsAndAnnotations[]): string {
  if (la.length === 0) return '[]';
  const one = (x: LabelsAndAnnotations): string => `Labels:${labelsString(x.labels)}\nAnnotations:${labelsString(x.annotations)}`;
  let s = `[\n0:${indentLines(`\n${one(la[0] as LabelsAndAnnotations)}`, '  ')}`;
  la.slice(1).forEach((x, i) => {
    s += `,\n${i + 1}:${indentLines(`\n${one(x)}`, '  ')}`;
  });
  return `${s}\n]`;
}

function samplesString(s: readonly { labels: Labels; v: number }[]): string {
  if (s.length === 0) return 'nil';
  return s.map((x) => `${labelsString(x.labels)} ${goExponentUpper(x.v)}`).join(', ');
}

/**
 * `promtool test rules` output for a set of files: "Unit Testing:  FILE" and "  SUCCESS" on
 * stdout, "  FAILED:" and each error on stderr. Resolves to the exit code (1 when any failed).
 */
export async function runRuleUnitTests(files: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let failed = false;
  for (const f of files) {
    out(`Unit Testing:  ${f}\n`);
    const r = await runRuleUnitTestFile(f);
    if (r.errors.length > 0) {
      err('  FAILED:\n');
      for (const e of r.errors) {
        err(`${e}\n`);
        out('\n');
      }
      failed = true;
    } else {
      out('  SUCCESS\n');
    }
    out('\n');
  }
  return failed ? 1 : 0;
}
