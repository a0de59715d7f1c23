/*
 * Rule evaluation benchmark (issue #14): npx tsx bench/rules/run.ts [--rules 10000] [--series 100000]
 *   [--rounds 3] [--store memory|duckdb] [--group-size 100]
 *
 * Generates node_exporter-like series (bench_load{job,instance} gauges and
 * bench_requests_total{job,instance} counters, one sample every 15 s over the last 10 minutes,
 * 100 jobs), a rule set of alerting and recording rules each selecting one job (half threshold
 * alerts with `for` and templated annotations that hold for ~2 % of their series, a quarter
 * sum-by-rate recording rules, a quarter avg-by alerts of which half fire), in groups of --group-size, and evaluates every group once per round, groups
 * concurrently as the rule manager runs them. Prints each round's wall time, rules per second and
 * the alerts and series produced. The target (issue #14): 10k rules over 100k series, a round
 * under 5 s at a 15 s interval.
 *
 * --store memory evaluates over the in-memory storage of `vigil rules test` (the evaluator's own
 * cost); --store duckdb loads the same data into a DuckDB store in a temporary directory and
 * evaluates over it (every rule a store read, as `vigil start` does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import type { RuleGroupSpec } from '../../alerting/index.js';
import { createRuleMetrics, engineQueryFunc, MemoryStorage, parseRuleFile, RuleGroup } from '../../alerting/index.js';
import type { TimeSeries } from '../../core/index.js';
import { createLogger } from '../../core/index.js';
import type { Queryable } from '../../query/index.js';
import { createEngine, tenantQueryable } from '../../query/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';

const { values: args } = parseArgs({
  options: {
    rules: { type: 'string', default: '1000' },
    series: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    store: { type: 'string', default: 'memory' },
    'group-size': { type: 'string', default: '100' },
  },
});
const RULES = Number(args.rules);
const SERIES = Number(args.series);
const ROUNDS = Number(args.rounds);
const GROUP_SIZE = Number(args['group-size']);
const JOBS = 100;
const STEP_MS = 15_000;
const TENANT = 'default';

/** Half the series are gauges, half counters; instance i belongs to job i % JOBS. */
function benchSeries(now: number): TimeSeries[] {
  const out: TimeSeries[] = [];
  const points = 40;
  for (let i = 0; i < SERIES / 2; i++) {
    const labels = { job: `job-${i % JOBS}`, instance: `host-${i}:9100` };
    const gauge = { labels: { __name__: 'bench_load', ...labels }, samples: [] as { t: number; v: number }[] };
    const counter = { labels: { __name__: 'bench_requests_total', ...labels }, samples: [] as { t: number; v: number }[] };
    for (let k = 0; k < points; k++) {
      const t = now - (points - 1 - k) * STEP_MS;
      gauge.samples.push({ t, v: ((i * 7 + k) % 100) / 10 });
      counter.samples.push({ t, v: k * (1 + (i % 5)) });
    }
    out.push(gauge, counter);
  }
  return out;
}

/** The rule files' text: groups of GROUP_SIZE rules, cycling through four kinds. */
function benchRules(): string {
  const lines = ['groups:'];
  for (let r = 0; r < RULES; r++) {
    if (r % GROUP_SIZE === 0) lines.push(`  - name: bench-${r / GROUP_SIZE}`, '    interval: 15s', '    rules:');
    const job = `job-${r % JOBS}`;
    switch (r % 4) {
      case 0:
      case 1:
        lines.push(
          `      - alert: LoadHigh${r}`,
          `        expr: bench_load{job="${job}"} > ${9.7 + (r % 2) / 10}`,
          '        for: 1m',
          '        labels: { severity: warning }',
          "        annotations: { summary: '{{ $labels.instance }} load {{ $value | humanize }}' }",
        );
        break;
      case 2:
        lines.push(`      - record: job:bench_requests:rate5m_${r}`, `        expr: sum by (job) (rate(bench_requests_total{job="${job}"}[5m]))`);
        break;
      default:
        lines.push(`      - alert: JobLoadHigh${r}`, `        expr: avg by (job) (bench_load{job="${job}"}) > ${r % 8 === 3 ? 4 : 6}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const now = Date.now();
  const data = benchSeries(now);
  let queryable: Queryable;
  let write: (series: readonly TimeSeries[]) => Promise<void>;
  let cleanup = async (): Promise<void> => undefined;
  const loadStart = performance.now();
  if (args.store === 'duckdb') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-rules-'));
    const store = new DuckDbStore({ path: join(dir, 'vigil.duckdb'), partitionMs: 24 * 3600_000, memoryLimit: '512MB', registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    for (let i = 0; i < data.length; i += 5000) {
      const app = store.appender();
      for (const s of data.slice(i, i + 5000)) app.appendSeries(TENANT, s);
      await app.commit();
    }
    queryable = tenantQueryable(store, TENANT);
    write = async (series) => {
      const app = store.appender();
      for (const s of series) app.appendSeries(TENANT, s);
      await app.commit();
    };
    cleanup = async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const storage = new MemoryStorage();
    storage.append(data);
    queryable = storage;
    write = (series) => Promise.resolve(storage.append(series));
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const specs: RuleGroupSpec[] = parseRuleFile('bench.yml', benchRules(), STEP_MS);
  const engine = createEngine();
  let notified = 0;
  let written = 0;
  const metrics = createRuleMetrics(new Registry());
  const groups = specs.map(
    (spec) =>
      new RuleGroup(spec, {
        env: { query: engineQueryFunc(engine, queryable), externalLabels: {}, externalURL: '' },
        sinks: {
          write: (series) => {
            written += series.length;
            return write(series);
          },
          notify: (alerts) => void (notified += alerts.length),
        },
        logger: createLogger('silent'),
        metrics,
        resendDelayMs: 60_000,
        now: () => now,
      }),
  );

  console.log(`rules bench: ${RULES} rules in ${groups.length} groups over ${SERIES} series (${args.store} store, loaded in ${loadSeconds.toFixed(1)} s), load ${loadavg()[0]?.toFixed(1)}`);
  for (let round = 0; round < ROUNDS; round++) {
    const ts = now + round * STEP_MS;
    written = 0;
    notified = 0;
    const t0 = performance.now();
    await Promise.all(groups.map((g) => g.evaluate(ts)));
    const seconds = (performance.now() - t0) / 1000;
    const failed = groups.flatMap((g) => g.rules.filter((r) => r.status.health === 'err'));
    const active = groups.reduce((n, g) => n + g.alertingRules().reduce((m, r) => m + r.activeAlerts().length, 0), 0);
    console.log(
      `  round ${round + 1}: ${seconds.toFixed(2)} s (${Math.round(RULES / seconds)} rules/s), ${active} active alerts, ${written} series written, ${notified} alerts sent, ${failed.length} rules failed${failed.length > 0 ? `: ${failed[0]?.status.lastError}` : ''}`,
    );
  }
  await cleanup();
}

await main();
