import type { ArithmeticOp } from '../../promql/index.js';

/**
 * The arithmetic operators on two floats with Go's float64 semantics, which is what Prometheus
 * computes: IEEE 754 for + - * / (x/0 is ±Inf, 0/0 NaN), math.Mod for % (the sign of the
 * dividend, as JavaScript's % also does), math.Pow for ^ and math.Atan2 for atan2.
 */
export function arithmetic(op: ArithmeticOp, lhs: number, rhs: number): number {
  switch (op) {
    case '+':
      return lhs + rhs;
    case '-':
      return lhs - rhs;
    case '*':
      return lhs * rhs;
    case '/':
      return lhs / rhs;
    case '%':
      return lhs % rhs;
    case '^':
      return goPow(lhs, rhs);
    case 'atan2':
      return Math.atan2(lhs, rhs);
  }
}

/**
 * Go's math.Pow where it differs from JavaScript's **: Go follows C99 (pow(1, y) and
 * pow(-1, ±Inf) are 1, even for y = NaN) where JavaScript answers NaN. Elsewhere both follow IEEE.
 */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** The operators whose result loses the metric name: Prometheus 2.42's shouldDropMetricName (atan2 is not among them). */
export function dropsMetricName(op: string): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';
}
