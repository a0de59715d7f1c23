/**
 * The syntax tree of the Go text/template subset Prometheus templates use: text, actions with
 * pipelines, variables, if/else if/else, range, with, and comments.
 */
export type Operand =
  | { readonly kind: 'dot'; readonly fields: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly fields: readonly string[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'nil' }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline; readonly fields: readonly string[] };

/** A command: a function call (first operand a function) or a single value. */
export interface Command {
  readonly args: readonly Operand[];
}

export interface Pipeline {
  /** `$x := …` declares, `$x = …` assigns. */
  readonly declare?: { readonly name: string; readonly assign: boolean };
  readonly commands: readonly Command[];
}

export type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipeline: Pipeline }
  | { readonly kind: 'if' | 'with'; readonly pipeline: Pipeline; readonly then: readonly Node[]; readonly otherwise: readonly Node[] }
  | { readonly kind: 'range'; readonly pipeline: Pipeline; readonly keyVar?: string; readonly valueVar?: string; readonly body: readonly Node[]; readonly otherwise: readonly Node[] };
