import { VigilError } from '../../core/index.js';

/**
 * The job template language: text with `{{ expr }}`, `{{#each expr as x}}…{{/each}}` and
 * `{{#if expr}}…{{else}}…{{/if}}`. Expressions are literals, names, member access and calls of the
 * functions the renderer puts in scope (p, link, join, json). No arbitrary code runs: a template
 * can only read what it is given, so a release cannot do anything on the director.
 */
export type Expr =
  | { kind: 'lit'; value: string | number | boolean }
  | { kind: 'name'; name: string }
  | { kind: 'member'; object: Expr; prop: string }
  | { kind: 'call'; callee: Expr; args: Expr[] };

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'out'; expr: Expr; line: number }
  | { kind: 'each'; expr: Expr; as: string; body: Node[]; line: number }
  | { kind: 'if'; expr: Expr; then: Node[]; else: Node[]; line: number };

export class TemplateError extends VigilError {
  constructor(message: string) {
    super('bad_data', message);
  }
}

function tokenizeExpr(src: string): string[] {
  const re = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|@?[A-Za-z_][A-Za-z0-9_]*|[().,[\]])/y;
  const out: string[] = [];
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (m === null) throw new Error(`unexpected "${src.slice(pos).trim().slice(0, 12)}"`);
    out.push(m[1] as string);
    pos = re.lastIndex;
  }
  return out;
}

/** Parses one expression, e.g. `link("peers").instances` or `p("etcd.port", 2379)`. */
export function parseExpr(src: string): Expr {
  const toks = tokenizeExpr(src);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const take = (want?: string): string => {
    const t = toks[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw new Error(`expected ${want ?? 'more'} in "${src.trim()}"`);
    return t;
  };
  const primary = (): Expr => {
    const t = take();
    if (t.startsWith('"') || t.startsWith("'")) return { kind: 'lit', value: JSON.parse(t.startsWith("'") ? `"${t.slice(1, -1).replace(/"/g, '\\"')}"` : t) as string };
    if (/^-?\d/.test(t)) return { kind: 'lit', value: Number(t) };
    if (t === 'true' || t === 'false') return { kind: 'lit', value: t === 'true' };
    if (/^@?[A-Za-z_]/.test(t)) return { kind: 'name', name: t };
    if (t === '(') {
      const e = expr();
      take(')');
      return e;
    }
    throw new Error(`unexpected "${t}" in "${src.trim()}"`);
  };
  const expr = (): Expr => {
    let e = primary();
    for (;;) {
      const t = peek();
      if (t === '.') {
        take();
        const prop = take();
        if (!/^[A-Za-z_]/.test(prop)) throw new Error(`expected a name after "." in "${src.trim()}"`);
        e = { kind: 'member', object: e, prop };
      } else if (t === '(') {
        take();
        const args: Expr[] = [];
        while (peek() !== ')') {
          args.push(expr());
          if (peek() === ',') take();
          else break;
        }
        take(')');
        e = { kind: 'call', callee: e, args };
      } else return e;
    }
  };
  const e = expr();
  if (i !== toks.length) throw new Error(`unexpected "${toks[i] ?? ''}" in "${src.trim()}"`);
  return e;
}

/** Parses a template; errors name the template and the line. */
export function parseTemplate(text: string, name: string): Node[] {
  const root: Node[] = [];
  const stack: { nodes: Node[]; block: Extract<Node, { kind: 'each' | 'if' }> | null; inElse: boolean }[] = [
    { nodes: root, block: null, inElse: false },
  ];
  const re = /\{\{([\s\S]*?)\}\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const lineAt = (pos: number): number => text.slice(0, pos).split('\n').length;
  const top = (): (typeof stack)[number] => stack[stack.length - 1] as (typeof stack)[number];
  while ((m = re.exec(text)) !== null) {
    const line = lineAt(m.index);
    if (m.index > last) top().nodes.push({ kind: 'text', text: text.slice(last, m.index) });
    last = re.lastIndex;
    const tag = (m[1] as string).trim();
    try {
      if (tag.startsWith('#each ')) {
        const mm = /^#each\s+(.+)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(tag);
        if (mm === null) throw new Error('expected {{#each EXPR as NAME}}');
        const node: Node = { kind: 'each', expr: parseExpr(mm[1] as string), as: mm[2] as string, body: [], line };
        top().nodes.push(node);
        stack.push({ nodes: node.body, block: node, inElse: false });
      } else if (tag.startsWith('#if ')) {
        const node: Node = { kind: 'if', expr: parseExpr(tag.slice(4)), then: [], else: [], line };
        top().nodes.push(node);
        stack.push({ nodes: node.then, block: node, inElse: false });
      } else if (tag === 'else') {
        const t = top();
        if (t.block?.kind !== 'if' || t.inElse) throw new Error('{{else}} outside {{#if}}');
        t.nodes = t.block.else;
        t.inElse = true;
      } else if (tag === '/each' || tag === '/if') {
        const t = top();
        if (t.block?.kind !== tag.slice(1)) throw new Error(`${tag} closes nothing open`);
        stack.pop();
      } else {
        top().nodes.push({ kind: 'out', expr: parseExpr(tag), line });
      }
    } catch (err) {
      throw new TemplateError(`template ${name} line ${line}: ${(err as Error).message}`);
    }
  }
  if (last < text.length) top().nodes.push({ kind: 'text', text: text.slice(last) });
  const open = top().block;
  if (open !== null) throw new TemplateError(`template ${name} line ${open.line}: {{#${open.kind}}} is never closed`);
  return root;
}

/** Every literal property name the template reads with p("…"); used to check templates against the job spec. */
export function propertiesRead(nodes: readonly Node[]): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  const visitExpr = (e: Expr, line: number): void => {
    if (e.kind === 'call') {
      const first = e.args[0];
      if (e.callee.kind === 'name' && e.callee.name === 'p' && first?.kind === 'lit') out.push({ name: String(first.value), line });
      visitExpr(e.callee, line);
      e.args.forEach((a) => visitExpr(a, line));
    } else if (e.kind === 'member') visitExpr(e.object, line);
  };
  const visit = (ns: readonly Node[]): void => {
    for (const n of ns) {
      if (n.kind === 'out') visitExpr(n.expr, n.line);
      else if (n.kind === 'each') {
        visitExpr(n.expr, n.line);
        visit(n.body);
      } else if (n.kind === 'if') {
        visitExpr(n.expr, n.line);
        visit(n.then);
        visit(n.else);
      }
    }
  };
  visit(nodes);
  return out;
}

type Scope = Record<string, unknown>;

function evalExpr(e: Expr, scope: Scope): unknown {
  switch (e.kind) {
    case 'lit':
      return e.value;
    case 'name':
      if (!Object.hasOwn(scope, e.name)) throw new Error(`"${e.name}" is not defined`);
      return scope[e.name];
    case 'member': {
      const obj = evalExpr(e.object, scope);
      if (typeof obj !== 'object' || obj === null || !Object.hasOwn(obj, e.prop)) throw new Error(`no "${e.prop}" here`);
      return (obj as Record<string, unknown>)[e.prop];
    }
    case 'call': {
      const fn = evalExpr(e.callee, scope);
      if (typeof fn !== 'function') throw new Error('calling something that is not a function');
      return (fn as (...a: unknown[]) => unknown)(...e.args.map((a) => evalExpr(a, scope)));
    }
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function truthy(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : Boolean(v);
}

/** Renders parsed nodes in a scope; errors name the template and the line. */
export function renderNodes(nodes: readonly Node[], scope: Scope, name: string): string {
  let out = '';
  for (const n of nodes) {
    try {
      if (n.kind === 'text') out += n.text;
      else if (n.kind === 'out') out += show(evalExpr(n.expr, scope));
      else if (n.kind === 'if') out += renderNodes(truthy(evalExpr(n.expr, scope)) ? n.then : n.else, scope, name);
      else {
        const list = evalExpr(n.expr, scope);
        if (!Array.isArray(list)) throw new Error('{{#each}} needs a list');
        list.forEach((item, index) => {
          out += renderNodes(n.body, { ...scope, [n.as]: item, '@index': index, '@first': index === 0, '@last': index === list.length - 1 }, name);
        });
      }
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      throw new TemplateError(`template ${name} line ${n.kind === 'text' ? '?' : n.line}: ${(err as Error).message}`);
    }
  }
  return out;
}
