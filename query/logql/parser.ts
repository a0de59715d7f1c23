import { parseDurationMs } from '../../core/index.js';
import type { BinaryOp, Expr, Grouping, LogExpr, MetricExpr, RangeAggregation, RangeOp, VectorMatching, VectorOp } from './ast.js';
import { LogqlParseError } from './parseError.js';
import { parsePipeline, parseSelector } from './pipelineParser.js';
import { TokenStream } from './tokenStream.js';

/** Longest query text accepted (Loki has no bound; the HTTP edge may set a smaller one). */
export const MAX_QUERY_LENGTH = 128 * 1024;

const rangeOps = new Set<string>([
  'count_over_time', 'rate', 'bytes_over_time', 'bytes_rate', 'absent_over_time', 'sum_over_time', 'avg_over_time', 'min_over_time',
  'max_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'first_over_time', 'last_over_time', 'rate_counter',
]);
/** Range aggregations that read the line itself and take no unwrap (rate takes either). */
const lineOps = new Set<string>(['count_over_time', 'bytes_over_time', 'bytes_rate', 'absent_over_time']);
const vectorOps = new Set<string>(['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'sort', 'sort_desc']);

/** Binary operators by precedence, lowest first, as in PromQL. */
const precedence: Record<string, number> = { or: 1, and: 2, unless: 2, '==': 3, '!=': 3, '>': 3, '>=': 3, '<': 3, '<=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5, '^': 6 };
const comparisons = new Set(['==', '!=', '>', '>=', '<', '<=']);

/** Parses a LogQL query: a log query (`{…} | …`) or a metric query. Throws LogqlParseError. */
export function parseLogql(input: string): Expr {
  if (input.length > MAX_QUERY_LENGTH) throw new LogqlParseError(MAX_QUERY_LENGTH, `query is longer than ${MAX_QUERY_LENGTH} characters`);
  const ts = new TokenStream(input);
  if (ts.peek().kind === 'eof') throw new LogqlParseError(0, 'syntax error: empty query');
  const expr = ts.peek().text === '{' && ts.peek().kind === 'punct' ? parseLogExpr(ts) : parseBinary(ts, 0);
  const rest = ts.peek();
  if (rest.kind !== 'eof') throw ts.error(rest, 'unexpected input after the query');
  return expr;
}

function parseLogExpr(ts: TokenStream): LogExpr {
  const pos = ts.peek().pos;
  const matchers = parseSelector(ts);
  const { stages, unwrap } = parsePipeline(ts);
  if (unwrap !== undefined) throw new LogqlParseError(pos, 'unwrap is only allowed inside a range aggregation such as sum_over_time');
  return { kind: 'log', matchers, stages, pos };
}

function parseBinary(ts: TokenStream, minPrec: number): MetricExpr {
  let lhs = parseUnary(ts);
  for (;;) {
    const t = ts.peek();
    const prec = t.kind === 'operator' || t.kind === 'identifier' ? precedence[t.text] : undefined;
    if (prec === undefined || prec < minPrec) return lhs;
    ts.next();
    const op = t.text as BinaryOp;
    const bool = comparisons.has(op) && ts.accept('bool');
    const matching = parseMatching(ts);
    // `^` is right-associative; every other operator is left-associative.
    const rhs = ts.nested(() => parseBinary(ts, op === '^' ? prec : prec + 1));
    if ((op === 'and' || op === 'or' || op === 'unless') && (lhs.kind === 'number' || rhs.kind === 'number')) {
      throw new LogqlParseError(t.pos, `set operator "${op}" not allowed in binary scalar expression`);
    }
    lhs = { kind: 'binary', op, bool, lhs, rhs, pos: t.pos, ...(matching === undefined ? {} : { matching }) };
  }
}

function parseMatching(ts: TokenStream): VectorMatching | undefined {
  const word = ts.peek().text;
  if (ts.peek().kind !== 'identifier' || (word !== 'on' && word !== 'ignoring')) return undefined;
  ts.next();
  const labels = parseLabelList(ts);
  const side = ts.peek().text;
  if (ts.peek().kind === 'identifier' && (side === 'group_left' || side === 'group_right')) {
    ts.next();
    const include = ts.peek().text === '(' ? parseLabelList(ts) : [];
    return { on: word === 'on', labels, group: { side: side === 'group_left' ? 'left' : 'right', include } };
  }
  return { on: word === 'on', labels };
}

function parseUnary(ts: TokenStream): MetricExpr {
  const t = ts.peek();
  if (t.kind === 'operator' && (t.text === '-' || t.text === '+')) {
    ts.next();
    const inner = ts.nested(() => parseUnary(ts));
    if (t.text === '+') return inner;
    if (inner.kind === 'number') return { ...inner, value: -inner.value, pos: t.pos };
    return { kind: 'binary', op: '*', bool: false, lhs: { kind: 'number', value: -1, pos: t.pos }, rhs: inner, pos: t.pos };
  }
  return parsePrimary(ts);
}

function parsePrimary(ts: TokenStream): MetricExpr {
  const t = ts.peek();
  if (t.kind === 'punct' && t.text === '(') {
    ts.next();
    const inner = ts.nested(() => parseBinary(ts, 0));
    ts.expect(')');
    return inner;
  }
  if (t.kind === 'number') {
    ts.next();
    const value = Number(t.text);
    if (Number.isNaN(value)) throw new LogqlParseError(t.pos, `${JSON.stringify(t.text)} is not a number`);
    return { kind: 'number', value, pos: t.pos };
  }
  if (t.kind === 'punct' && t.text === '{') throw new LogqlParseError(t.pos, 'a log query cannot be used in a metric expression: wrap it in a range aggregation such as count_over_time({…}[5m])');
  if (t.kind !== 'identifier') throw ts.error(t, 'expected a metric expression');
  if (rangeOps.has(t.text)) return parseRangeAggregation(ts);
  if (vectorOps.has(t.text)) return parseVectorAggregation(ts);
  if (t.text === 'vector') {
    ts.next();
    ts.expect('(');
    const n = ts.next();
    if (n.kind !== 'number' || Number.isNaN(Number(n.text))) throw ts.error(n, 'expected a number');
    ts.expect(')');
    return { kind: 'vectorLiteral', value: Number(n.text), pos: t.pos };
  }
  if (t.text === 'label_replace') {
    ts.next();
    ts.expect('(');
    const expr = ts.nested(() => parseBinary(ts, 0));
    const args: string[] = [];
    for (let i = 0; i < 4; i++) {
      ts.expect(',');
      args.push(ts.string('a label_replace argument'));
    }
    ts.expect(')');
    return { kind: 'labelReplace', expr, args: args as [string, string, string, string], pos: t.pos };
  }
  if (t.text === 'inf' || t.text === 'Inf' || t.text === 'NaN' || t.text === 'nan') {
    ts.next();
    return { kind: 'number', value: t.text.toLowerCase() === 'nan' ? NaN : Infinity, pos: t.pos };
  }
  throw new LogqlParseError(t.pos, `unknown function or aggregation ${JSON.stringify(t.text)}`);
}

function parseRangeAggregation(ts: TokenStream): RangeAggregation {
  const t = ts.next();
  const op = t.text as RangeOp;
  ts.expect('(');
  let param: number | undefined;
  if (op === 'quantile_over_time') {
    param = parseNumber(ts);
    ts.expect(',');
  }
  const parenthesized = ts.peek().text === '(' && ts.peek().kind === 'punct';
  if (parenthesized) ts.next();
  const logPos = ts.peek().pos;
  const matchers = parseSelector(ts);
  const { stages, unwrap } = parsePipeline(ts);
  if (parenthesized) ts.expect(')');
  ts.expect('[', '"[" and a range such as [5m]');
  const rangeMs = parseDuration(ts, 'range');
  if (rangeMs <= 0) throw new LogqlParseError(t.pos, 'range must be positive');
  ts.expect(']');
  let offsetMs = 0;
  if (ts.accept('offset')) offsetMs = parseDuration(ts, 'offset');
  ts.expect(')');
  if (lineOps.has(op) && unwrap !== undefined) throw new LogqlParseError(t.pos, `invalid aggregation ${op} with unwrap`);
  if (!lineOps.has(op) && op !== 'rate' && unwrap === undefined) throw new LogqlParseError(t.pos, `invalid aggregation ${op} without unwrap`);
  const grouping = parseGrouping(ts);
  if (grouping !== undefined && unwrap === undefined) throw new LogqlParseError(t.pos, `grouping not allowed for ${op} aggregation`);
  return {
    kind: 'range',
    op,
    log: { kind: 'log', matchers, stages, pos: logPos },
    rangeMs,
    offsetMs,
    pos: t.pos,
    ...(unwrap === undefined ? {} : { unwrap }),
    ...(param === undefined ? {} : { param }),
    ...(grouping === undefined ? {} : { grouping }),
  };
}

function parseVectorAggregation(ts: TokenStream): MetricExpr {
  const t = ts.next();
  const op = t.text as VectorOp;
  let grouping = parseGrouping(ts);
  ts.expect('(');
  let param: number | undefined;
  if (op === 'topk' || op === 'bottomk') {
    param = parseNumber(ts);
    if (!Number.isInteger(param) || param <= 0) throw new LogqlParseError(t.pos, `invalid parameter for ${op}: must be a positive integer`);
    ts.expect(',');
  }
  const expr = ts.nested(() => parseBinary(ts, 0));
  ts.expect(')');
  const after = parseGrouping(ts);
  if (after !== undefined) {
    if (grouping !== undefined) throw new LogqlParseError(t.pos, 'grouping given twice');
    grouping = after;
  }
  if (expr.kind === 'number') throw new LogqlParseError(t.pos, `${op} needs a vector, not a number`);
  return { kind: 'vector', op, expr, pos: t.pos, ...(grouping === undefined ? {} : { grouping }), ...(param === undefined ? {} : { param }) };
}

function parseGrouping(ts: TokenStream): Grouping | undefined {
  const t = ts.peek();
  if (t.kind !== 'identifier' || (t.text !== 'by' && t.text !== 'without')) return undefined;
  ts.next();
  return { without: t.text === 'without', labels: parseLabelList(ts) };
}

function parseLabelList(ts: TokenStream): string[] {
  ts.expect('(');
  const labels: string[] = [];
  if (ts.accept(')')) return labels;
  do labels.push(ts.identifier('a label name').value);
  while (ts.accept(','));
  ts.expect(')', '"," or ")"');
  return labels;
}

function parseNumber(ts: TokenStream): number {
  const minus = ts.accept('-');
  const t = ts.next();
  const v = Number(t.text);
  if (t.kind !== 'number' || Number.isNaN(v)) throw ts.error(t, 'expected a number');
  return minus ? -v : v;
}

function parseDuration(ts: TokenStream, what: string): number {
  const minus = what === 'offset' && ts.accept('-');
  const t = ts.next();
  // A duration here needs its unit: a bare 0 is a number, not a range.
  const ms = t.kind === 'number' && t.text !== '0' ? parseDurationMs(t.text) : undefined;
  if (ms === undefined) throw ts.error(t, `expected a duration for the ${what}, such as 5m`);
  return minus ? -ms : ms;
}
