import type { LabelMatcher } from '../../storage/index.js';

/**
 * The PromQL syntax tree: plain data, no behaviour, so the engine, the printer and later the
 * planner can all walk it. Positions are 0-based character offsets into the query text,
 * `end` exclusive; they let later stages report errors where they belong.
 */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** `name{matchers}`: the metric name, when written, is also the first matcher (`__name__="name"`). */
export interface VectorSelector {
  readonly type: 'VectorSelector';
  /** The metric name as written before the braces, or '' when only braces were written. */
  readonly name: string;
  /** Every matcher, including the implicit `__name__` one; in the order written. */
  readonly matchers: readonly LabelMatcher[];
  readonly pos: PositionRange;
}

/** `selector[range]`: the samples of each series in (t - range, t]. */
export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  readonly vector: VectorSelector;
  readonly rangeMs: number;
  readonly pos: PositionRange;
}

/** Every expression the parser can produce today. New node kinds join this union. */
export type Expr = VectorSelector | MatrixSelector;

/** The PromQL type an expression evaluates to. */
export type ValueType = 'vector' | 'matrix' | 'scalar' | 'string';

export function valueTypeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case 'VectorSelector':
      return 'vector';
    case 'MatrixSelector':
      return 'matrix';
  }
}
