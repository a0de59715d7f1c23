import { quote } from '../../core/index.js';
import type { BinaryExpr, Call, Expr, ValueType } from './ast.js';
import { documentedType, valueTypeOf } from './ast.js';
import { isComparison, isSetOperator } from './operators.js';
import { ParseError } from './parseError.js';
import { compileMatcher } from '../../storage/index.js';

/**
 * The checks Prometheus' parser runs over the whole tree once the syntax is right (checkAST in
 * promql/parser/parse.go), in the same order, so the first error is the one Prometheus reports.
 * Returns the tree with each binary expression's vector matching settled: many-to-many for set
 * operators, null when a side is a scalar.
 */
export function typeCheck(expr: Expr, input: string): Expr {
  return new Checker(input).check(expr);
}

class Checker {
  constructor(private readonly input: string) {}

  check(e: Expr): Expr {
    switch (e.type) {
      case 'NumberLiteral':
      case 'StringLiteral':
        return e;
      case 'VectorSelector':
        this.checkSelector(e);
        return e;
      case 'MatrixSelector':
        this.checkSelector(e.vector);
        return e;
      case 'SubqueryExpr': {
        const inner = this.check(e.expr);
        const t = valueTypeOf(inner);
        if (t !== 'vector') throw new ParseError(e.pos.start, `subquery is only allowed on instant vector, got ${t} instead`);
        return { ...e, expr: inner };
      }
      case 'ParenExpr':
        return { ...e, expr: this.check(e.expr) };
      case 'UnaryExpr': {
        const inner = this.check(e.expr);
        const t = valueTypeOf(inner);
        if (t !== 'scalar' && t !== 'vector') {
          throw new ParseError(e.pos.start, `unary expression only allowed on expressions of type scalar or instant vector, got ${quote(documentedType(t))}`);
        }
        return { ...e, expr: inner };
      }
      case 'AggregateExpr': {
        const inner = this.expectType(e.expr, 'vector', 'aggregation expression');
        let param = e.param;
        if (param !== null) param = this.expectType(param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
        return { ...e, expr: inner, param };
      }
      case 'Call':
        return this.checkCall(e);
      case 'BinaryExpr':
        return this.checkBinary(e);
    }
  }

  private expectType(e: Expr, want: ValueType, context: string): Expr {
    const checked = this.check(e);
    const got = valueTypeOf(checked);
    if (got !== want) throw new ParseError(e.pos.start, `expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`);
    return checked;
  }

  private checkSelector(e: Extract<Expr, { type: 'VectorSelector' }>): void {
    if (e.name !== '') {
      // The first matcher is the name's own; another __name__ matcher sets the name twice.
      for (const m of e.matchers.slice(1)) {
        if (m.name === '__name__') throw new ParseError(e.pos.start, `metric name must not be set twice: ${quote(e.name)} or ${quote(m.value)}`);
      }
      return; // the name itself is a non-empty matcher
    }
    // Without one, a selector would match every series, e.g. through a typo.
    if (!e.matchers.some((m) => !compileMatcher(m)(''))) {
      throw new ParseError(e.pos.start, 'vector selector must contain at least one non-empty matcher');
    }
  }

  private checkCall(e: Call): Call {
    const f = e.func;
    const n = e.args.length;
    const declared = f.argTypes.length;
    if (f.variadic === 0) {
      if (declared !== n) throw new ParseError(e.pos.start, `expected ${declared} argument(s) in call to ${quote(f.name)}, got ${n}`);
    } else {
      const least = declared - 1;
      if (least > n) throw new ParseError(e.pos.start, `expected at least ${least} argument(s) in call to ${quote(f.name)}, got ${n}`);
      const most = least + f.variadic;
      if (f.variadic > 0 && most < n) throw new ParseError(e.pos.start, `expected at most ${most} argument(s) in call to ${quote(f.name)}, got ${n}`);
    }
    const args = e.args.map((arg, i) => {
      // A variadic function's extra arguments take the last declared type.
      const want = f.argTypes[Math.min(i, declared - 1)] as ValueType;
      return this.expectType(arg, want, `call to function ${quote(f.name)}`);
    });
    return { ...e, args };
  }

  private checkBinary(e: BinaryExpr): BinaryExpr {
    const lhs = this.check(e.lhs);
    const rhs = this.check(e.rhs);
    const lt = valueTypeOf(lhs);
    const rt = valueTypeOf(rhs);
    const opPos = this.operatorPosition(e);
    if (e.returnBool && !isComparison(e.op)) throw new ParseError(opPos, 'bool modifier can only be used on comparison operators');
    if (isComparison(e.op) && !e.returnBool && lt === 'scalar' && rt === 'scalar') {
      throw new ParseError(opPos, 'comparisons between scalars must use BOOL modifier');
    }
    let matching = e.matching;
    if (matching !== null && isSetOperator(e.op) && matching.card === 'one-to-one') matching = { ...matching, card: 'many-to-many' };
    if (matching !== null && matching.on) {
      for (const l of matching.labels) {
        if (matching.include.includes(l)) throw new ParseError(opPos, `label ${quote(l)} must not occur in ON and GROUP clause at once`);
      }
    }
    if (lt !== 'scalar' && lt !== 'vector') throw new ParseError(lhs.pos.start, 'binary expression must contain only scalar and instant vector types');
    if (rt !== 'scalar' && rt !== 'vector') throw new ParseError(rhs.pos.start, 'binary expression must contain only scalar and instant vector types');
    if (lt !== 'vector' || rt !== 'vector') {
      if (matching !== null && matching.labels.length > 0) throw new ParseError(e.pos.start, 'vector matching only allowed between instant vectors');
      matching = null;
    } else if (isSetOperator(e.op) && matching !== null) {
      if (matching.card === 'one-to-many' || matching.card === 'many-to-one') throw new ParseError(e.pos.start, `no grouping allowed for ${quote(e.op)} operation`);
      if (matching.card !== 'many-to-many') throw new ParseError(e.pos.start, 'set operations must always be many-to-many');
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOperator(e.op)) {
      throw new ParseError(e.pos.start, `set operator ${quote(e.op)} not allowed in binary scalar expression`);
    }
    return { ...e, lhs, rhs, matching };
  }

  /** Where the operator starts: the first non-space after the left operand (Prometheus' opRange). */
  private operatorPosition(e: BinaryExpr): number {
    let i = e.lhs.pos.end;
    while (i < this.input.length && /[ \t\r\n]/.test(this.input[i] as string)) i++;
    return i;
  }
}
