/**
 * The evaluation times of one evaluator pass: start, start + interval, … ≤ end. A range query
 * has one pass over its steps; a subquery opens another over its own aligned steps; an instant
 * query is a pass of one step. Every node is evaluated over a whole pass at once, so a selector
 * reads the store once per query rather than once per step.
 */
export interface Steps {
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalMs: number;
  /** How many steps: at least 1. */
  readonly count: number;
}

export function stepsOf(startMs: number, endMs: number, intervalMs: number): Steps {
  return { startMs, endMs, intervalMs, count: Math.floor((endMs - startMs) / intervalMs) + 1 };
}

export function stepTime(steps: Steps, i: number): number {
  return steps.startMs + i * steps.intervalMs;
}

/** A pass of one step at `t`: instant queries, and the single evaluation of a step-invariant subtree. */
export function singleStep(t: number, intervalMs: number): Steps {
  return { startMs: t, endMs: t, intervalMs, count: 1 };
}

/**
 * The steps of a subquery `[range:step] offset o` evaluated for an outer pass whose first
 * evaluation time is `outerStartMs` and last `outerEndMs` (both already the `@` time when the
 * subquery has one). Prometheus 2.42 starts at the first multiple of the step at or after
 * outerStart - offset - range, so that the inner points are the same whatever the outer step
 * (absolute alignment), and ends at outerEnd - offset.
 */
export function subquerySteps(outerStartMs: number, outerEndMs: number, rangeMs: number, stepMs: number, offsetMs: number): Steps {
  const from = outerStartMs - offsetMs - rangeMs;
  const startMs = Math.ceil(from / stepMs) * stepMs;
  const endMs = outerEndMs - offsetMs;
  // A window shorter than one step may hold no aligned time at all.
  const count = endMs < startMs ? 0 : Math.floor((endMs - startMs) / stepMs) + 1;
  return { startMs, endMs, intervalMs: stepMs, count };
}
