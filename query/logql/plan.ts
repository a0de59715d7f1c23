import type { LabelMatcher, LogLineMatch } from '../../storage/index.js';
import type { LogExpr, Stage } from './ast.js';

/**
 * Which stages of a log query the store runs as SQL and which run here. The stream selector
 * and time range always go to the store; so does every `|=`, `!=`, `|~`, `!~` line filter that
 * no line-changing stage (line_format, decolorize, unpack) precedes: every other stage only
 * filters lines or adds labels, so a line filter commutes with it (Loki's optimizer moves them
 * the same way). Pattern filters and everything else stay in process, in their order.
 */
export interface LogPlan {
  readonly matchers: readonly LabelMatcher[];
  readonly lineFilters: readonly LogLineMatch[];
  /** The stages left to run in process, in query order. */
  readonly stages: readonly Stage[];
}

const lineChanging = new Set<Stage['kind']>(['lineFormat', 'decolorize', 'unpack']);

export function planLog(log: LogExpr): LogPlan {
  const lineFilters: LogLineMatch[] = [];
  const stages: Stage[] = [];
  let lineChanged = false;
  for (const s of log.stages) {
    if (s.kind === 'lineFilter' && !lineChanged && s.op !== '|>' && s.op !== '!>') {
      lineFilters.push({ op: s.op, values: s.values });
      continue;
    }
    if (lineChanging.has(s.kind)) lineChanged = true;
    stages.push(s);
  }
  return { matchers: log.matchers, lineFilters, stages };
}
