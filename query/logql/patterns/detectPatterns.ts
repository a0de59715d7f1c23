import { VigilError } from '../../../core/index.js';
import type { Querier } from '../../../storage/index.js';
import type { LogExpr } from '../ast.js';
import { compilePipeline } from '../pipeline.js';
import { planLog } from '../plan.js';
import { Drain, WILDCARD } from './drain.js';

/** A pattern as /loki/api/v1/patterns returns it: the template and its lines per step. */
export interface DetectedPattern {
  readonly pattern: string;
  /** [bucket start in ms, lines], oldest first. */
  readonly samples: readonly (readonly [number, number])[];
}

/** Most lines one patterns request clusters. */
export const MAX_PATTERN_LINES = 1_000_000;

/**
 * The patterns of the lines a log query selects in [startNs, endNs), computed at query time with
 * Drain (drain.ts) and counted per `stepMs` bucket. Loki keeps patterns per stream as lines are
 * ingested; Vigil derives them from the stored lines when asked, so they cover any range kept.
 */
export async function detectPatterns(querier: Querier, expr: LogExpr, startNs: bigint, endNs: bigint, stepMs: number): Promise<DetectedPattern[]> {
  const plan = planLog(expr);
  const pipeline = plan.stages.length === 0 ? undefined : compilePipeline(plan.stages);
  const drain = new Drain();
  let lines = 0;
  if (endNs > startNs) {
    await querier.scanLogs({ matchers: plan.matchers, lineFilters: plan.lineFilters, startNs, endNs: endNs - 1n, direction: 'forward' }, (batch) => {
      for (const l of batch) {
        const line = pipeline === undefined ? l.line : pipeline(l.line, l.timeNs, l.labels)?.line;
        if (line === undefined) continue;
        const ms = Number(l.timeNs / 1_000_000n);
        drain.add(line, ms - (((ms % stepMs) + stepMs) % stepMs));
        if (++lines > MAX_PATTERN_LINES) throw new VigilError('limit_exceeded', `more than ${MAX_PATTERN_LINES} lines to cluster: narrow the selector or the range`);
      }
      return true;
    });
  }
  return drain
    .clustersByCount()
    .filter((c) => c.tokens.includes(WILDCARD) || c.total > 1)
    .map((c) => ({ pattern: c.tokens.join(' '), samples: [...c.counts.entries()].sort((a, b) => a[0] - b[0]) }));
}
