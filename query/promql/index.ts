export type { Expr, MatrixSelector, PositionRange, ValueType, VectorSelector } from './ast.js';
export { valueTypeOf } from './ast.js';
export { parseDurationMs, formatDurationMs } from './duration.js';
export { lex } from './lexer.js';
export type { Token, TokenKind } from './lexer.js';
export { ParseError, isParseError } from './parseError.js';
export { parseExpr, parseSeriesSelector } from './parser.js';
export { formatExpr, quoteString } from './printer.js';
