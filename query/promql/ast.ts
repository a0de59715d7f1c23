import type { LabelMatcher } from '../../storage/index.js';
import type { FunctionSignature } from './functions.js';
import type { ValueType } from './valueType.js';

/**
 * The PromQL syntax tree: plain data, no behaviour, so the engine, the printer and later the
 * planner can all walk it. It mirrors Prometheus 2.42's promql/parser/ast.go node for node, so
 * the evaluator can follow Prometheus' engine.go. Positions are 0-based character offsets into
 * the query text, `end` exclusive; they let later stages report errors where they belong.
 *
 * Nodes are built by the parser only after their syntax and types were checked: an Expr in hand
 * is always well typed (see typeCheck.ts for the rules).
 */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

export type { ValueType } from './valueType.js';

/**
 * `@ <timestamp>` in milliseconds (Prometheus rounds the seconds written to the nearest ms),
 * `@ start()` / `@ end()` (the range query's start or end; the query time for instant queries),
 * or null when no `@` was written.
 */
export type AtModifier = { readonly kind: 'time'; readonly ms: number } | 'start' | 'end' | null;

/** A float literal: `1`, `-2.5e3`, `0x1f`, `Inf`, `NaN`. A unary minus on a literal is folded into it (Prometheus does). */
export interface NumberLiteral {
  readonly type: 'NumberLiteral';
  readonly value: number;
  readonly pos: PositionRange;
}

/** A string literal, unescaped: `"a\n"`, `'a'`, `` `raw` ``. Only a few function arguments and count_values take one. */
export interface StringLiteral {
  readonly type: 'StringLiteral';
  readonly value: string;
  readonly pos: PositionRange;
}

/** `name{matchers} offset d @ t`: the metric name, when written, is also the first matcher (`__name__="name"`). */
export interface VectorSelector {
  readonly type: 'VectorSelector';
  /** The metric name as written before the braces, or '' when only braces were written. */
  readonly name: string;
  /** Every matcher, including the implicit `__name__` one (first); otherwise in the order written. Never empty of a non-empty matcher. */
  readonly matchers: readonly LabelMatcher[];
  /** `offset 5m` → 300000, `offset -5m` → -300000, none → 0. Selects samples at (t - offsetMs). */
  readonly offsetMs: number;
  readonly at: AtModifier;
  readonly pos: PositionRange;
}

/**
 * `selector[range]`: the samples of each series in (t - range, t]. Offset and `@` written after
 * the range (`x[5m] offset 1m`) live on `vector`, as in Prometheus; writing them before the
 * range is a parse error.
 */
export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  readonly vector: VectorSelector;
  readonly rangeMs: number;
  readonly pos: PositionRange;
}

/** `expr[range:step] offset d @ t`: `expr` (an instant vector) evaluated every step over the range. */
export interface SubqueryExpr {
  readonly type: 'SubqueryExpr';
  readonly expr: Expr;
  readonly rangeMs: number;
  /** 0 when omitted (`[5m:]`): the engine then uses the global evaluation interval, as Prometheus does. */
  readonly stepMs: number;
  readonly offsetMs: number;
  readonly at: AtModifier;
  readonly pos: PositionRange;
}

/** `(expr)`: kept in the tree so the printer reproduces the user's grouping; evaluates to `expr`. */
export interface ParenExpr {
  readonly type: 'ParenExpr';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

/** `-expr` / `+expr` on a scalar or instant vector (on a number literal the sign is folded into the literal instead). */
export interface UnaryExpr {
  readonly type: 'UnaryExpr';
  readonly op: '-' | '+';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

/** How the series of two instant vectors pair up (Prometheus' VectorMatching). */
export interface VectorMatching {
  /** Set operators are always many-to-many; `group_left` is many-to-one, `group_right` one-to-many. */
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** true for `on (labels)`: match on exactly these labels; false: match on all labels except `labels` (`ignoring`, or nothing written). */
  readonly on: boolean;
  /** The labels of `on (…)` / `ignoring (…)`, as written. */
  readonly labels: readonly string[];
  /** The labels of `group_left (…)` / `group_right (…)`, copied from the "one" side. */
  readonly include: readonly string[];
}

/** `lhs op [bool] [on|ignoring (…) [group_left|group_right (…)]] rhs`. */
export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** `bool`: a comparison returns 0/1 instead of filtering. Only on comparisons; required between two scalars. */
  readonly returnBool: boolean;
  /** Null exactly when either side is a scalar (Prometheus drops the matching then); set when both are instant vectors. */
  readonly matching: VectorMatching | null;
  readonly pos: PositionRange;
}

export type AggregateOp = 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group' | 'stddev' | 'stdvar' | 'topk' | 'bottomk' | 'count_values' | 'quantile';

/** `op [by|without (labels)] ([param,] expr)`. */
export interface AggregateExpr {
  readonly type: 'AggregateExpr';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** topk/bottomk/quantile: a scalar expression; count_values: a string expression (the output label); otherwise null. */
  readonly param: Expr | null;
  /** The labels of `by (…)` / `without (…)`, as written; empty when neither was written (`by ()` is the same). */
  readonly grouping: readonly string[];
  /** true for `without (…)`. */
  readonly without: boolean;
  readonly pos: PositionRange;
}

/** `func(args…)`: the argument count and types already match `func` (checked by the parser). */
export interface Call {
  readonly type: 'Call';
  readonly func: FunctionSignature;
  readonly args: readonly Expr[];
  readonly pos: PositionRange;
}

/** Every expression of PromQL. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call;

/** The type an expression evaluates to; the same rules as Prometheus' `Type()` methods. */
export function valueTypeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'ParenExpr':
    case 'UnaryExpr':
      return valueTypeOf(expr.expr);
    case 'BinaryExpr':
      // A binary expression is a vector as soon as one side is.
      return valueTypeOf(expr.lhs) === 'scalar' && valueTypeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call':
      return expr.func.returnType;
  }
}

/** The user-facing name of a type, as Prometheus' DocumentedType words it in errors. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

/** The direct sub-expressions of a node, in source order: lets walkers (checks, depth, planners) stay generic. */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [expr.vector];
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
      return [expr.expr];
    case 'BinaryExpr':
      return [expr.lhs, expr.rhs];
    case 'AggregateExpr':
      return expr.param === null ? [expr.expr] : [expr.param, expr.expr];
    case 'Call':
      return expr.args;
  }
}
