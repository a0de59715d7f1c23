import type { Labels } from '../../core/index.js';
import { sortedLabelPairs } from '../../core/index.js';
import type { Querier } from '../../storage/index.js';
import type { LogExpr } from './ast.js';
import { compilePipeline } from './pipeline.js';
import { planLog } from './plan.js';

/** One stream of a log query's answer: its labels (stream and extracted) and its entries. */
export interface LogStream {
  readonly labels: Labels;
  readonly entries: { readonly timeNs: bigint; readonly line: string }[];
}

export interface LogQueryRange {
  /** Inclusive. */
  readonly startNs: bigint;
  /** Exclusive, as Loki's `end`. */
  readonly endNs: bigint;
  readonly direction: 'forward' | 'backward';
  /** Most lines returned, over all streams. */
  readonly limit: number;
}

/**
 * Runs a log query: the store scans with what SQL can do (plan.ts), the rest of the pipeline
 * runs here line by line, and the scan stops once `limit` lines passed. Streams come out sorted
 * by labels, each stream's entries in the query's direction.
 */
export async function evalLogQuery(querier: Querier, expr: LogExpr, range: LogQueryRange): Promise<LogStream[]> {
  const plan = planLog(expr);
  const pipeline = plan.stages.length === 0 ? undefined : compilePipeline(plan.stages);
  const streams = new Map<string, LogStream>();
  let taken = 0;
  if (range.limit > 0 && range.endNs > range.startNs) {
    await querier.scanLogs(
      {
        matchers: plan.matchers,
        lineFilters: plan.lineFilters,
        startNs: range.startNs,
        endNs: range.endNs - 1n,
        direction: range.direction,
        // Without in-process stages every scanned line is an answer, so the store can stop at the limit.
        ...(pipeline === undefined ? { limit: range.limit } : {}),
      },
      (lines) => {
        for (const l of lines) {
          const out = pipeline === undefined ? { line: l.line, labels: l.labels } : pipeline(l.line, l.timeNs, l.labels);
          if (out === undefined) continue;
          const key = labelsKey(out.labels);
          let s = streams.get(key);
          if (s === undefined) streams.set(key, (s = { labels: out.labels, entries: [] }));
          s.entries.push({ timeNs: l.timeNs, line: out.line });
          if (++taken >= range.limit) return false;
        }
        return true;
      },
    );
  }
  return [...streams.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, s]) => s);
}

/** A label set as a map key: its sorted pairs as JSON, which no two different sets share. */
export function labelsKey(labels: Labels): string {
  return JSON.stringify(sortedLabelPairs(labels));
}
