import type { AggregateExpr, Expr } from './ast.js';
import { formatExpr, formatMatching, formatSubquerySuffix } from './printer.js';

/**
 * Prometheus 2.42's Prettify (promql/parser/prettier.go), what /api/v1/format_query returns: a
 * node whose one-line form is longer than 100 bytes is split, its children indented by two
 * spaces per level, each of them split again only if it is too long on its own. Selectors,
 * numbers and strings never split; a subquery splits its inner expression and keeps its
 * `[range:step]` on the last line. The rules (and their quirks, e.g. a subquery that fits is not
 * indented) are Prometheus', so the text is the same byte for byte.
 */
export function prettyExpr(expr: Expr): string {
  return pretty(expr, 0);
}

const MAX_CHARACTERS_PER_LINE = 100;

const indent = (level: number): string => '  '.repeat(level);

/** Prometheus counts bytes (Go's len of the string). */
const needsSplit = (expr: Expr): boolean => Buffer.byteLength(formatExpr(expr)) > MAX_CHARACTERS_PER_LINE;

function pretty(expr: Expr, level: number): string {
  switch (expr.type) {
    case 'VectorSelector':
    case 'MatrixSelector':
    case 'NumberLiteral':
    case 'StringLiteral':
      return indent(level) + formatExpr(expr);
    case 'AggregateExpr': {
      if (!needsSplit(expr)) return indent(level) + formatExpr(expr);
      const param = expr.param === null ? '' : `${pretty(expr.param, level + 1)},\n`;
      return `${indent(level)}${aggregateOpText(expr)}(\n${param}${pretty(expr.expr, level + 1)}\n${indent(level)})`;
    }
    case 'BinaryExpr': {
      if (!needsSplit(expr)) return indent(level) + formatExpr(expr);
      const op = `${expr.op}${expr.returnBool ? ' bool' : ''}${formatMatching(expr)}`;
      return `${pretty(expr.lhs, level + 1)}\n${indent(level)}${op}\n${pretty(expr.rhs, level + 1)}`;
    }
    case 'Call': {
      if (!needsSplit(expr)) return indent(level) + formatExpr(expr);
      const args = expr.args.map((a) => pretty(a, level + 1)).join(',\n');
      return `${indent(level)}${expr.func.name}(\n${args}\n${indent(level)})`;
    }
    case 'ParenExpr':
      if (!needsSplit(expr)) return indent(level) + formatExpr(expr);
      return `${indent(level)}(\n${pretty(expr.expr, level + 1)}\n${indent(level)})`;
    case 'SubqueryExpr':
      // As 2.42 does: one that fits is printed without its indent.
      if (!needsSplit(expr)) return formatExpr(expr);
      return pretty(expr.expr, level) + formatSubquerySuffix(expr);
    case 'UnaryExpr':
      // The child's own indent is dropped: the operator carries it.
      return `${indent(level)}${expr.op}${pretty(expr.expr, level).trim()}`;
  }
}

/** `sum`, `sum by (a, b) `, `topk without (a) `: what precedes the opening parenthesis. */
function aggregateOpText(e: AggregateExpr): string {
  if (e.without) return `${e.op} without (${e.grouping.join(', ')}) `;
  if (e.grouping.length > 0) return `${e.op} by (${e.grouping.join(', ')}) `;
  return e.op;
}
