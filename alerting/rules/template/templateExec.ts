import type { Command, Node, Operand, Pipeline } from './templateAst.js';
import { goValueString } from './goFormat.js';
import type { FuncContext } from './templateFuncs.js';
import { TEMPLATE_FUNCS, TemplateExecError, truthy } from './templateFuncs.js';

/** Most output one expansion may produce: a `range` over a large query stops here. */
const MAX_OUTPUT_CHARS = 1 << 20;

interface Scope {
  readonly vars: Map<string, unknown>;
  readonly parent?: Scope;
}

function lookup(scope: Scope | undefined, name: string): unknown {
  for (let s = scope; s !== undefined; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
  throw new TemplateExecError(`undefined variable: ${name}`);
}

function assign(scope: Scope, name: string): Scope {
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) if (s.vars.has(name)) return s;
  throw new TemplateExecError(`undefined variable: ${name}`);
}

/** A field of a value: a key of a map (missing keys are the empty string, Prometheus' missingkey=zero). */
function field(v: unknown, name: string): unknown {
  if (v === null || v === undefined) throw new TemplateExecError(`nil pointer evaluating .${name}`);
  if (typeof v === 'object' && !Array.isArray(v)) return (v as Record<string, unknown>)[name] ?? '';
  throw new TemplateExecError(`can't evaluate field ${name} in type ${typeof v}`);
}

/** Runs a parsed template against `data` with the given top-level variables. */
export async function executeTemplate(nodes: readonly Node[], data: unknown, vars: ReadonlyMap<string, unknown>, ctx: FuncContext): Promise<string> {
  const out: string[] = [];
  let size = 0;
  const emit = (s: string): void => {
    size += s.length;
    if (size > MAX_OUTPUT_CHARS) throw new TemplateExecError(`output longer than ${MAX_OUTPUT_CHARS} characters`);
    out.push(s);
  };

  const operand = async (o: Operand, dot: unknown, scope: Scope): Promise<unknown> => {
    let v: unknown;
    switch (o.kind) {
      case 'dot':
        v = dot;
        break;
      case 'variable':
        v = lookup(scope, o.name);
        break;
      case 'string':
      case 'number':
      case 'bool':
        return o.value;
      case 'nil':
        return null;
      case 'function':
        return call(o.name, [], dot, scope, undefined);
      case 'pipeline':
        v = await pipeline(o.pipeline, dot, scope);
        break;
    }
    for (const f of o.fields) v = field(v, f);
    return v;
  };

  const call = async (name: string, argOps: readonly Operand[], dot: unknown, scope: Scope, piped: { value: unknown } | undefined): Promise<unknown> => {
    const fn = TEMPLATE_FUNCS.get(name);
    if (fn === undefined) throw new TemplateExecError(`function ${JSON.stringify(name)} not defined`);
    const args: unknown[] = [];
    for (const a of argOps) args.push(await operand(a, dot, scope));
    if (piped !== undefined) args.push(piped.value);
    try {
      return await fn(ctx, args);
    } catch (err) {
      throw new TemplateExecError(`error calling ${name}: ${(err as Error).message}`);
    }
  };

  const command = async (c: Command, dot: unknown, scope: Scope, piped: { value: unknown } | undefined): Promise<unknown> => {
    const [head, ...rest] = c.args as [Operand, ...Operand[]];
    if (head.kind === 'function') return call(head.name, rest, dot, scope, piped);
    if (rest.length > 0 || piped !== undefined) throw new TemplateExecError(`can't give argument to non-function ${describe(head)}`);
    return operand(head, dot, scope);
  };

  const pipeline = async (p: Pipeline, dot: unknown, scope: Scope): Promise<unknown> => {
    let value: { value: unknown } | undefined;
    for (const c of p.commands) value = { value: await command(c, dot, scope, value) };
    const v = value?.value;
    if (p.declare !== undefined) (p.declare.assign ? assign(scope, p.declare.name) : scope).vars.set(p.declare.name, v);
    return v;
  };

  const list = async (nodes: readonly Node[], dot: unknown, scope: Scope): Promise<void> => {
    for (const n of nodes) {
      switch (n.kind) {
        case 'text':
          emit(n.text);
          break;
        case 'action': {
          const v = await pipeline(n.pipeline, dot, scope);
          if (n.pipeline.declare === undefined) emit(goValueString(v));
          break;
        }
        case 'if':
        case 'with': {
          const inner: Scope = { vars: new Map(), parent: scope };
          const v = await pipeline(n.pipeline, dot, inner);
          if (truthy(v)) await list(n.then, n.kind === 'with' ? v : dot, inner);
          else await list(n.otherwise, dot, inner);
          break;
        }
        case 'range': {
          const inner: Scope = { vars: new Map(), parent: scope };
          const v = await pipeline(n.pipeline, dot, inner);
          const entries: [unknown, unknown][] = Array.isArray(v)
            ? v.map((x, i) => [i, x])
            : typeof v === 'object' && v !== null
              ? Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              : v === null || v === undefined || v === ''
                ? []
                : (() => {
                    throw new TemplateExecError(`range can't iterate over ${goValueString(v)}`);
                  })();
          if (entries.length === 0) await list(n.otherwise, dot, inner);
          for (const [k, x] of entries) {
            const body: Scope = { vars: new Map(), parent: inner };
            if (n.keyVar !== undefined) body.vars.set(n.keyVar, k);
            if (n.valueVar !== undefined) body.vars.set(n.valueVar, x);
            await list(n.body, x, body);
          }
          break;
        }
      }
    }
  };

  const root: Scope = { vars: new Map([['$', data], ...vars]) };
  await list(nodes, data, root);
  return out.join('');
}

function describe(o: Operand): string {
  switch (o.kind) {
    case 'string':
      return JSON.stringify(o.value);
    case 'number':
    case 'bool':
      return String(o.value);
    case 'variable':
      return [o.name, ...o.fields].join('.');
    case 'dot':
      return o.fields.length === 0 ? '.' : `.${o.fields.join('.')}`;
    default:
      return o.kind;
  }
}
