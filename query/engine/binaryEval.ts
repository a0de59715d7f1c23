import type { ArithmeticOp, BinaryExpr, ComparisonOp } from '../promql/index.js';
import { valueTypeOf } from '../promql/index.js';
import type { Evaluate, StepValue } from './evalTypes.js';
import { checkDistinctLabels } from './labelKeys.js';
import { operators, scalarSeries } from './operators/index.js';
import { asPerStep } from './seriesSteps.js';
import type { Steps } from './stepTimes.js';
import { stepTime } from './stepTimes.js';
import type { VectorElement } from './types.js';

type Scalars = Extract<StepValue, { kind: 'scalar' }>;
type Vectors = Extract<StepValue, { kind: 'vector' }>;

/** A binary expression over a pass: both sides once, then the operator step by step. */
export async function binaryEval(expr: BinaryExpr, steps: Steps, evaluate: Evaluate): Promise<StepValue> {
  const lv = await evaluate(expr.lhs, steps);
  const rv = await evaluate(expr.rhs, steps);
  const lt = valueTypeOf(expr.lhs);
  const rt = valueTypeOf(expr.rhs);
  // A scalar and a vector in the columnar form: series by series, no object per step.
  if (lt === 'scalar' && rv.kind === 'series' && lv.kind === 'scalar') {
    const out = scalarSeries(expr.op as ArithmeticOp | ComparisonOp, rv.series, lv.values, true, expr.returnBool);
    if (out !== undefined) return { kind: 'series', series: out };
  }
  if (rt === 'scalar' && lv.kind === 'series' && rv.kind === 'scalar') {
    const out = scalarSeries(expr.op as ArithmeticOp | ComparisonOp, lv.series, rv.values, false, expr.returnBool);
    if (out !== undefined) return { kind: 'series', series: out };
  }
  const lhs = asPerStep(lv, steps);
  const rhs = asPerStep(rv, steps);
  if (lt === 'scalar' && rt === 'scalar') {
    const l = (lhs as Scalars).values;
    const r = (rhs as Scalars).values;
    // The parser allows only arithmetic and `bool` comparisons between two scalars.
    const op = expr.op as ArithmeticOp | ComparisonOp;
    return { kind: 'scalar', values: l.map((v, i) => operators.scalarBinary(op, v, r[i] as number)) };
  }
  const out: VectorElement[][] = [];
  for (let i = 0; i < steps.count; i++) {
    const t = stepTime(steps, i);
    let result: VectorElement[];
    if (lt === 'vector' && rt === 'vector') {
      if (expr.matching === null) throw new Error('a binary expression between two vectors always has its matching');
      result = operators.vectorBinary(expr.op, (lhs as Vectors).steps[i] ?? [], (rhs as Vectors).steps[i] ?? [], expr.matching, expr.returnBool, t);
    } else {
      const scalarOnLeft = lt === 'scalar';
      const vector = ((scalarOnLeft ? rhs : lhs) as Vectors).steps[i] ?? [];
      const scalar = ((scalarOnLeft ? lhs : rhs) as Scalars).values[i] as number;
      result = operators.scalarVectorBinary(expr.op as ArithmeticOp | ComparisonOp, vector, scalar, scalarOnLeft, expr.returnBool, t);
    }
    checkDistinctLabels(result);
    out.push(result);
  }
  return { kind: 'vector', steps: out };
}
