import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../core/index.js';
import { compareSeries } from './promqlCompare.js';
import type { PrometheusData } from './promqlResult.js';
import { prometheusSeries } from './promqlResult.js';
import type { EvalCommand, Section } from './promqlSections.js';
import { caseName, scriptFiles } from './promqlScriptFiles.js';
import type { PrometheusServer } from './prometheusServer.js';
import { prometheusInstalled, startPrometheus } from './prometheusServer.js';
import { querySection, SECTION_LABEL, withSectionLabel } from './sectionLabel.js';

/**
 * The proof of the scripts: every eval of test/query/promql/*.test is asked of a real
 * Prometheus 2.42 holding the same data, and its answer must be the script's expectation (by
 * promqltest's rule: values within 1e-6, instant vectors unordered unless eval_ordered). One
 * Prometheus holds every script: each section's series carry a label its queries are scoped to.
 *
 * Not provable this way, and said so by a skipped case: sections with staleness markers
 * (OpenMetrics, promtool's input, has no way to write one) and sections under a
 * `lookback_delta` (a Prometheus flag, not per query). Failure messages are Vigil's words; of
 * Prometheus only the failure itself is checked.
 */
const files = scriptFiles();

function provable(section: Section): boolean {
  return section.lookbackMs === undefined && !section.series.some((s) => s.samples.some((p) => isStaleNaN(p.v)));
}

describe.skipIf(!prometheusInstalled && process.env.CI !== 'true')('PromQL scripts against Prometheus 2.42', () => {
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    const series = files.flatMap((f) => f.sections.filter(provable).flatMap((s) => withSectionLabel(s.series, `${f.name}#${s.index}`)));
    prometheus = await startPrometheus(series);
  }, 60_000);
  afterAll(() => prometheus?.stop());

  async function ask(cmd: EvalCommand, section: string): Promise<{ status: string; data?: PrometheusData; error?: string }> {
    const query = querySection(cmd.expr, section) ?? cmd.expr;
    const params = new URLSearchParams({ query });
    if (cmd.kind === 'evalInstant') params.set('time', String(cmd.atMs / 1000));
    else {
      params.set('start', String(cmd.startMs / 1000));
      params.set('end', String(cmd.endMs / 1000));
      params.set('step', String(cmd.stepMs / 1000));
    }
    const path = cmd.kind === 'evalInstant' ? 'query' : 'query_range';
    const res = await fetch(`${prometheus.base}/api/v1/${path}?${params.toString()}`);
    return (await res.json()) as { status: string; data?: PrometheusData; error?: string };
  }

  for (const file of files) {
    describe(file.name, () => {
      for (const section of file.sections) {
        for (const cmd of section.evals) {
          it.skipIf(!provable(section))(caseName(file.name, cmd.line, cmd.expr), async () => {
            const answer = await ask(cmd, `${file.name}#${section.index}`);
            if ('fail' in cmd.expect) {
              expect(answer.status, `Prometheus answered ${JSON.stringify(answer.data)}`).toBe('error');
              return;
            }
            expect(answer.status, answer.error).toBe('success');
            const got = prometheusSeries(answer.data as PrometheusData, SECTION_LABEL);
            const ordered = cmd.kind === 'evalInstant' && cmd.ordered;
            expect(compareSeries(cmd.expect.series, got, ordered), JSON.stringify(got)).toBeUndefined();
          });
        }
      }
    });
  }
});
