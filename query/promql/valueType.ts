/**
 * The PromQL type an expression evaluates to (Prometheus' ValueType: "vector" is an instant vector,
 * "matrix" a range vector). Its own file: the syntax tree and the function signatures both need it.
 */
export type ValueType = 'vector' | 'matrix' | 'scalar' | 'string';
