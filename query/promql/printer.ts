import type { LabelMatcher } from '../../storage/index.js';
import type { Expr, VectorSelector } from './ast.js';
import { formatDurationMs } from './duration.js';

/**
 * Prints an expression in canonical PromQL: `name{a="b", c=~"d"}[5m]`. Parsing the output
 * gives back the same tree (positions aside); the parser tests hold it to that.
 */
export function formatExpr(expr: Expr): string {
  switch (expr.type) {
    case 'VectorSelector':
      return formatVectorSelector(expr);
    case 'MatrixSelector':
      return `${formatVectorSelector(expr.vector)}[${formatDurationMs(expr.rangeMs)}]`;
  }
}

function formatVectorSelector(sel: VectorSelector): string {
  // The implicit __name__ matcher of a written metric name is the first one; print it as the name.
  const rest = sel.name === '' ? sel.matchers : sel.matchers.slice(1);
  if (rest.length === 0) return sel.name;
  return `${sel.name}{${rest.map(formatMatcher).join(', ')}}`;
}

function formatMatcher(m: LabelMatcher): string {
  return `${m.name}${m.type}${quoteString(m.value)}`;
}

/** Double-quotes a string with the escapes PromQL reads back: \\ \" \n \r \t and \xHH for other controls. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
