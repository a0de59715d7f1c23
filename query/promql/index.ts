export type {
  AggregateExpr,
  AggregateOp,
  ArithmeticOp,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Call,
  ComparisonOp,
  Expr,
  MatrixSelector,
  NumberLiteral,
  ParenExpr,
  PositionRange,
  SetOp,
  StringLiteral,
  SubqueryExpr,
  UnaryExpr,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
export { childrenOf, documentedType, valueTypeOf } from './ast.js';
export { MAX_NESTING_DEPTH } from './depthGuard.js';
export type { FunctionSignature } from './functions.js';
export { FUNCTIONS, functionSignature } from './functions.js';
export { lex } from './lexer.js';
export type { Token, TokenKind } from './lexer.js';
export { aggregationTakesParam, isComparison, isSetOperator } from './operators.js';
export { ParseError, isParseError } from './parseError.js';
export { parseExpr, parseSeriesSelector } from './parser.js';
export { formatExpr, quoteString } from './printer.js';
export { prettyExpr } from './prettier.js';
export { formatGoFloat } from './numbers.js';
export { expandSeriesValues, parseSeriesLabels, parseSeriesValue, splitSeriesLine, MAX_EXPANDED_VALUES } from './seriesNotation.js';
