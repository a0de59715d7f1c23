import type { LabelMatcher } from '../../storage/index.js';
import type { AtModifier, BinaryExpr, Expr, SubqueryExpr, VectorSelector } from './ast.js';
import { formatDurationMs } from '../../core/index.js';
import { formatGoFloat } from './numbers.js';

/**
 * Prints an expression as Prometheus 2.42's `String()` methods do (what /api/v1/format_query
 * returns): `sum by (job) (rate(x{a="b"}[5m]))`, `a + on (b) group_left (c) d`,
 * `x @ 100.000 offset 5m`. Matchers are sorted; parentheses are printed where the tree has a
 * ParenExpr, so the text parses back to the same tree (positions and matcher order aside).
 */
export function formatExpr(expr: Expr): string {
  switch (expr.type) {
    case 'NumberLiteral':
      return formatGoFloat(expr.value);
    case 'StringLiteral':
      return quoteString(expr.value);
    case 'VectorSelector':
      return formatVectorSelector(expr) + formatModifiers(expr.at, expr.offsetMs);
    case 'MatrixSelector':
      return `${formatVectorSelector(expr.vector)}[${formatDurationMs(expr.rangeMs)}]${formatModifiers(expr.vector.at, expr.vector.offsetMs)}`;
    case 'SubqueryExpr':
      return formatExpr(expr.expr) + formatSubquerySuffix(expr);
    case 'ParenExpr':
      return `(${formatExpr(expr.expr)})`;
    case 'UnaryExpr':
      return `${expr.op}${formatExpr(expr.expr)}`;
    case 'BinaryExpr':
      return `${formatPowerBase(expr)} ${expr.op}${expr.returnBool ? ' bool' : ''}${formatMatching(expr)} ${formatExpr(expr.rhs)}`;
    case 'AggregateExpr': {
      let grouping = '';
      if (expr.without) grouping = ` without (${expr.grouping.join(', ')}) `;
      else if (expr.grouping.length > 0) grouping = ` by (${expr.grouping.join(', ')}) `;
      const param = expr.param === null ? '' : `${formatExpr(expr.param)}, `;
      return `${expr.op}${grouping}(${param}${formatExpr(expr.expr)})`;
    }
    case 'Call':
      return `${expr.func.name}(${expr.args.map(formatExpr).join(', ')})`;
  }
}

/** A subquery's `[range:step]` and its modifiers. */
export function formatSubquerySuffix(e: SubqueryExpr): string {
  const step = e.stepMs === 0 ? '' : formatDurationMs(e.stepMs);
  return `[${formatDurationMs(e.rangeMs)}:${step}]${formatModifiers(e.at, e.offsetMs)}`;
}

/**
 * The left operand. Prometheus prints +Inf as "+Inf", but as the base of `^` that reads back as
 * `+(Inf ^ …)` (a sign binds looser than `^`); unsigned "Inf" keeps the tree.
 */
function formatPowerBase(e: BinaryExpr): string {
  if (e.op === '^' && e.lhs.type === 'NumberLiteral' && e.lhs.value === Infinity) return 'Inf';
  return formatExpr(e.lhs);
}

function formatVectorSelector(sel: VectorSelector): string {
  // The name's own matcher is printed as the name; Prometheus sorts the others.
  const rest = sel.matchers.filter((m) => !(m.name === '__name__' && m.type === '=' && m.value === sel.name && sel.name !== ''));
  if (rest.length === 0) return sel.name;
  return `${sel.name}{${rest.map(formatMatcher).sort().join(',')}}`;
}

function formatModifiers(at: AtModifier, offsetMs: number): string {
  let out = '';
  if (at === 'start' || at === 'end') out += ` @ ${at}()`;
  else if (at !== null) out += ` @ ${formatMsAsSeconds(at.ms)}`;
  if (offsetMs > 0) out += ` offset ${formatDurationMs(offsetMs)}`;
  else if (offsetMs < 0) out += ` offset -${formatDurationMs(-offsetMs)}`;
  return out;
}

/**
 * `on (a)`, `ignoring (a)`, then `group_left (b)`. Unlike Prometheus, a grouping is printed
 * even with an empty `ignoring ()`, which Prometheus drops along with the grouping (changing
 * the query's meaning).
 */
export function formatMatching(e: BinaryExpr): string {
  const vm = e.matching;
  if (vm === null) return '';
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  if (vm.labels.length === 0 && !vm.on && !grouped) return '';
  let out = ` ${vm.on ? 'on' : 'ignoring'} (${vm.labels.join(', ')})`;
  if (grouped) out += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${vm.include.join(', ')})`;
  return out;
}

/** Milliseconds as seconds with three decimals (Go's %.3f), by integer arithmetic so it is exact: 1500 → "1.500". */
function formatMsAsSeconds(ms: number): string {
  const abs = Math.abs(ms);
  return `${ms < 0 ? '-' : ''}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
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
