import type { Expr } from '../../query/index.js';

/**
 * A parsed tree as plain data without positions, with matchers after the name's own sorted
 * (the printer sorts them, as Prometheus does) and defaults left out: what two parses of
 * equivalent text must agree on.
 */
export function shape(e: Expr, options: { keepMatcherOrder?: boolean } = {}): unknown {
  switch (e.type) {
    case 'VectorSelector': {
      if (options.keepMatcherOrder === true) return { type: e.type, name: e.name, matchers: e.matchers };
      const [first, ...rest] = e.matchers;
      const sorted = e.name === '' ? [...e.matchers].sort(byText) : [first, ...rest.sort(byText)];
      return { type: e.type, name: e.name, matchers: sorted, ...(e.offsetMs !== 0 && { offsetMs: e.offsetMs }), ...(e.at !== null && { at: e.at }) };
    }
    case 'MatrixSelector':
      return { type: e.type, rangeMs: e.rangeMs, vector: shape(e.vector, options) };
    case 'NumberLiteral':
      // NaN !== NaN; compare its text instead.
      return { type: e.type, value: Number.isNaN(e.value) ? 'NaN' : e.value };
    case 'StringLiteral':
      return { type: e.type, value: e.value };
    case 'SubqueryExpr':
      return { type: e.type, expr: shape(e.expr), rangeMs: e.rangeMs, stepMs: e.stepMs, offsetMs: e.offsetMs, at: e.at };
    case 'ParenExpr':
      return { type: e.type, expr: shape(e.expr) };
    case 'UnaryExpr':
      return { type: e.type, op: e.op, expr: shape(e.expr) };
    case 'BinaryExpr':
      return { type: e.type, op: e.op, lhs: shape(e.lhs), rhs: shape(e.rhs), returnBool: e.returnBool, matching: e.matching };
    case 'AggregateExpr':
      return { type: e.type, op: e.op, expr: shape(e.expr), param: e.param === null ? null : shape(e.param), grouping: e.grouping, without: e.without };
    case 'Call':
      return { type: e.type, func: e.func.name, args: e.args.map((a) => shape(a)) };
  }
}

function byText(a: { name: string; type: string; value: string }, b: { name: string; type: string; value: string }): number {
  const x = `${a.name}${a.type}${a.value}`;
  const y = `${b.name}${b.type}${b.value}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The tree with every operator application in explicit parentheses: shows how precedence grouped it. */
export function grouped(e: Expr): string {
  switch (e.type) {
    case 'BinaryExpr':
      return `(${grouped(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''} ${grouped(e.rhs)})`;
    case 'UnaryExpr':
      return `(${e.op}${grouped(e.expr)})`;
    case 'ParenExpr':
      return `[${grouped(e.expr)}]`;
    case 'NumberLiteral':
      return String(e.value);
    case 'VectorSelector':
      return e.name + (e.offsetMs !== 0 ? `@off${e.offsetMs}` : '');
    case 'MatrixSelector':
      return `${grouped(e.vector)}[${e.rangeMs}]`;
    case 'SubqueryExpr':
      return `sub(${grouped(e.expr)})`;
    case 'AggregateExpr':
      return `${e.op}(${e.param === null ? '' : `${grouped(e.param)}, `}${grouped(e.expr)})`;
    case 'Call':
      return `${e.func.name}(${e.args.map(grouped).join(', ')})`;
    case 'StringLiteral':
      return JSON.stringify(e.value);
  }
}
