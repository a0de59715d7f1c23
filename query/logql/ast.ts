import type { LabelMatcher } from '../../storage/index.js';

/**
 * The LogQL syntax tree (Loki 2.9/3.x): plain data, built only by parser.ts. `pos` is the 0-based
 * offset of the node's first character in the query, for errors that point at it.
 */

/** `{app="api"} |= "x" | json | level="error"`: a stream selector and its pipeline, in order. */
export interface LogExpr {
  readonly kind: 'log';
  readonly matchers: readonly LabelMatcher[];
  readonly stages: readonly Stage[];
  readonly pos: number;
}

export type LineFilterOp = '|=' | '!=' | '|~' | '!~' | '|>' | '!>';

/** `|= "a" or "b"`: values form an `or` chain (for negative ops: the line contains none of them). */
export interface LineFilterStage {
  readonly kind: 'lineFilter';
  readonly op: LineFilterOp;
  readonly values: readonly string[];
}

/** `| json`, `| json a="x.y", b`, `| logfmt --strict a, b="c"`, `| unpack`: extract labels from the line. */
export interface ParserStage {
  readonly kind: 'json' | 'logfmt' | 'unpack';
  /** Extract only these: label name and the path/key it comes from. Empty: extract everything. */
  readonly params: readonly { readonly label: string; readonly source: string }[];
  /** logfmt only. */
  readonly strict: boolean;
  readonly keepEmpty: boolean;
}

/** `| regexp "(?P<x>…)"`, `| pattern "<ip> - <_>"`. */
export interface PatternStage {
  readonly kind: 'regexp' | 'pattern';
  readonly pattern: string;
}

export interface LabelFilterStage {
  readonly kind: 'labelFilter';
  readonly filter: LabelFilter;
}

export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

/** Label filters: string matchers, numeric/duration/bytes comparisons, combined with and/or. */
export type LabelFilter =
  | { readonly kind: 'and' | 'or'; readonly left: LabelFilter; readonly right: LabelFilter }
  | { readonly kind: 'match'; readonly matcher: LabelMatcher }
  /** `value` in the unit of `kind`: a plain number, seconds (duration) or bytes. */
  | { readonly kind: 'number' | 'duration' | 'bytes'; readonly name: string; readonly op: CompareOp; readonly value: number };

/** `| line_format "{{.a}}"`. */
export interface LineFormatStage {
  readonly kind: 'lineFormat';
  readonly template: string;
}

/** `| label_format dst=src, dst2="{{.x}}"`: a rename (src) or a template. */
export interface LabelFormatStage {
  readonly kind: 'labelFormat';
  readonly items: readonly { readonly dst: string; readonly rename?: string; readonly template?: string }[];
}

/** `| drop a, b="x"`, `| keep a, b=~"y"`: a bare name, or a matcher that must hold too. */
export interface DropKeepStage {
  readonly kind: 'drop' | 'keep';
  readonly items: readonly { readonly name: string; readonly matcher?: LabelMatcher }[];
}

export interface DecolorizeStage {
  readonly kind: 'decolorize';
}

export type Stage = LineFilterStage | ParserStage | PatternStage | LabelFilterStage | LineFormatStage | LabelFormatStage | DropKeepStage | DecolorizeStage;

export type UnwrapConversion = '' | 'bytes' | 'duration' | 'duration_seconds';

/** `| unwrap bytes(size) | __error__=""`: the label whose value becomes the sample, and filters after it. */
export interface Unwrap {
  readonly label: string;
  readonly conversion: UnwrapConversion;
  readonly postFilters: readonly LabelFilter[];
}

export type RangeOp =
  | 'count_over_time'
  | 'rate'
  | 'bytes_over_time'
  | 'bytes_rate'
  | 'absent_over_time'
  | 'sum_over_time'
  | 'avg_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'stddev_over_time'
  | 'stdvar_over_time'
  | 'quantile_over_time'
  | 'first_over_time'
  | 'last_over_time'
  | 'rate_counter';

export interface Grouping {
  readonly without: boolean;
  readonly labels: readonly string[];
}

/** `count_over_time({…} |= "x" [5m] offset 1h)`, `quantile_over_time(0.9, {…} | unwrap d [1m]) by (a)`. */
export interface RangeAggregation {
  readonly kind: 'range';
  readonly op: RangeOp;
  readonly log: LogExpr;
  readonly rangeMs: number;
  readonly offsetMs: number;
  readonly unwrap?: Unwrap;
  /** quantile_over_time's φ. */
  readonly param?: number;
  readonly grouping?: Grouping;
  readonly pos: number;
}

export type VectorOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'stddev' | 'stdvar' | 'topk' | 'bottomk' | 'sort' | 'sort_desc';

export interface VectorAggregation {
  readonly kind: 'vector';
  readonly op: VectorOp;
  readonly expr: MetricExpr;
  readonly grouping?: Grouping;
  /** topk/bottomk's k. */
  readonly param?: number;
  readonly pos: number;
}

export type BinaryOp = 'or' | 'and' | 'unless' | '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '>' | '>=' | '<' | '<=';

export interface VectorMatching {
  readonly on: boolean;
  readonly labels: readonly string[];
  readonly group?: { readonly side: 'left' | 'right'; readonly include: readonly string[] };
}

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly bool: boolean;
  readonly matching?: VectorMatching;
  readonly lhs: MetricExpr;
  readonly rhs: MetricExpr;
  readonly pos: number;
}

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  readonly pos: number;
}

/** `vector(1)`. */
export interface VectorLiteral {
  readonly kind: 'vectorLiteral';
  readonly value: number;
  readonly pos: number;
}

/** `label_replace(expr, "dst", "replacement", "src", "regex")`. */
export interface LabelReplace {
  readonly kind: 'labelReplace';
  readonly expr: MetricExpr;
  readonly args: readonly [string, string, string, string];
  readonly pos: number;
}

export type MetricExpr = RangeAggregation | VectorAggregation | BinaryExpr | NumberLiteral | VectorLiteral | LabelReplace;

export type Expr = LogExpr | MetricExpr;

/** The range aggregations of a metric expression, left to right. */
export function rangeAggregations(e: MetricExpr): RangeAggregation[] {
  switch (e.kind) {
    case 'range':
      return [e];
    case 'vector':
    case 'labelReplace':
      return rangeAggregations(e.expr);
    case 'binary':
      return [...rangeAggregations(e.lhs), ...rangeAggregations(e.rhs)];
    default:
      return [];
  }
}
