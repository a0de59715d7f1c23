import { RE2JS } from 're2js';
import type { TemplateValue } from './templateFormat.js';
import { formatGo } from './templateFormat.js';

/**
 * The subset of Go's text/template that Loki's line_format and label_format use: text and
 * `{{ … }}` actions holding pipelines (`.label`, "strings", numbers, function calls, `|`),
 * `{{ if }}`/`{{ else if }}`/`{{ else }}`/`{{ end }}`, and `{{- -}}` trimming. Functions are
 * Loki's template functions (ToUpper, trim, printf, default, replace, regexReplaceAll, …).
 * `.label` reads a label ('' when absent), `__line__` the line, `__timestamp__` its time.
 */

export type { TemplateValue } from './templateFormat.js';

type Operand =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: TemplateValue }
  | { readonly kind: 'call'; readonly name: string }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline };
type Command = readonly Operand[];
type Pipeline = readonly Command[];

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipeline: Pipeline }
  | { readonly kind: 'if'; readonly cond: Pipeline; readonly then: readonly Node[]; readonly otherwise: readonly Node[] };

export interface Template {
  readonly nodes: readonly Node[];
}

export interface TemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly line: string;
  readonly timeNs: bigint;
}

/** Longest output a template may produce (a larger one is cut). */
export const MAX_TEMPLATE_OUTPUT = 64 * 1024;

/** Parses a template; throws Error with a message naming what is wrong. */
export function parseTemplate(text: string): Template {
  const parts = splitActions(text);
  let i = 0;
  const block = (closers: readonly string[]): { nodes: Node[]; closer: string } => {
    const nodes: Node[] = [];
    while (i < parts.length) {
      const part = parts[i++] as { text?: string; action?: string };
      if (part.text !== undefined) {
        nodes.push({ kind: 'text', text: part.text });
        continue;
      }
      const action = (part.action as string).trim();
      const word = /^[a-z]+/.exec(action)?.[0] ?? '';
      if (closers.includes(word)) return { nodes, closer: action };
      if (word === 'if') {
        nodes.push(ifNode(action.slice(2)));
        continue;
      }
      if (word === 'end' || word === 'else') throw new Error(`unexpected {{${word}}}`);
      if (word === 'range' || word === 'with' || word === 'define' || word === 'template' || word === 'block') throw new Error(`{{${word}}} is not supported`);
      nodes.push({ kind: 'action', pipeline: parsePipeline(action) });
    }
    if (closers.length > 0) throw new Error('unexpected EOF: missing {{end}}');
    return { nodes, closer: '' };
  };
  const ifNode = (condText: string): Node => {
    const cond = parsePipeline(condText);
    const then = block(['else', 'end']);
    if (then.closer === 'end') return { kind: 'if', cond, then: then.nodes, otherwise: [] };
    const rest = then.closer.slice(4).trim();
    if (rest.startsWith('if ')) return { kind: 'if', cond, then: then.nodes, otherwise: [ifNode(rest.slice(3))] };
    const otherwise = block(['end']);
    return { kind: 'if', cond, then: then.nodes, otherwise: otherwise.nodes };
  };
  return { nodes: block([]).nodes };
}

/** Text and actions, with `{{-`/`-}}` trimming applied to the neighbouring text. */
function splitActions(text: string): { text?: string; action?: string }[] {
  const out: { text?: string; action?: string }[] = [];
  let i = 0;
  let trimNext = false;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    let chunk = open < 0 ? text.slice(i) : text.slice(i, open);
    if (trimNext) chunk = chunk.replace(/^\s+/, '');
    if (open < 0) {
      if (chunk !== '') out.push({ text: chunk });
      break;
    }
    const trimBefore = text.startsWith('{{- ', open);
    if (trimBefore) chunk = chunk.replace(/\s+$/, '');
    if (chunk !== '') out.push({ text: chunk });
    const close = findClose(text, open + 2);
    if (close < 0) throw new Error('unclosed action');
    let inner = text.slice(open + 2, close);
    trimNext = inner.endsWith(' -');
    if (trimBefore) inner = inner.slice(2);
    if (trimNext) inner = inner.slice(0, -2);
    out.push({ action: inner });
    i = close + 2;
  }
  return out;
}

/** The `}}` closing an action, skipping quoted strings. */
function findClose(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      i = text.indexOf('`', i + 1);
      if (i < 0) return -1;
    } else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

const tokenPattern = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\.[a-zA-Z_][a-zA-Z0-9_]*|\.)|([a-zA-Z_][a-zA-Z0-9_]*)|(\|)|(\()|(\)))/y;

function parsePipeline(text: string): Pipeline {
  let pos = 0;
  const parse = (depth: number): Pipeline => {
    if (depth > 32) throw new Error('template nesting too deep');
    const commands: Operand[][] = [[]];
    for (;;) {
      tokenPattern.lastIndex = pos;
      const m = tokenPattern.exec(text);
      if (m === null) {
        if (text.slice(pos).trim() !== '') throw new Error(`unexpected ${JSON.stringify(text.slice(pos).trim().slice(0, 20))} in action`);
        break;
      }
      pos = tokenPattern.lastIndex;
      const current = commands[commands.length - 1] as Operand[];
      if (m[1] !== undefined) current.push({ kind: 'literal', value: JSON.parse(m[1]) as string });
      else if (m[2] !== undefined) current.push({ kind: 'literal', value: m[2].slice(1, -1) });
      else if (m[3] !== undefined) current.push({ kind: 'literal', value: Number(m[3]) });
      else if (m[4] !== undefined) current.push({ kind: 'field', name: m[4].slice(1) });
      else if (m[5] !== undefined) {
        const name = m[5];
        if (name === 'true' || name === 'false') current.push({ kind: 'literal', value: name === 'true' });
        else if (name === '__line__' || name === '__timestamp__') current.push({ kind: 'field', name });
        else if (FUNCTIONS[name] === undefined) throw new Error(`function ${JSON.stringify(name)} not defined`);
        else current.push({ kind: 'call', name });
      } else if (m[6] !== undefined) commands.push([]);
      else if (m[7] !== undefined) current.push({ kind: 'pipeline', pipeline: parse(depth + 1) });
      else if (m[8] !== undefined) {
        if (depth === 0) throw new Error('unexpected ")"');
        break;
      }
    }
    if (commands.some((c) => c.length === 0)) throw new Error('missing value for command');
    return commands;
  };
  return parse(0);
}

/** Runs a template; errors at run time (a bad argument) throw Error. */
export function renderTemplate(t: Template, data: TemplateData): string {
  const out: string[] = [];
  let size = 0;
  const emit = (s: string): void => {
    if (size >= MAX_TEMPLATE_OUTPUT) return;
    const piece = s.length + size > MAX_TEMPLATE_OUTPUT ? s.slice(0, MAX_TEMPLATE_OUTPUT - size) : s;
    size += piece.length;
    out.push(piece);
  };
  const walk = (nodes: readonly Node[]): void => {
    for (const n of nodes) {
      if (n.kind === 'text') emit(n.text);
      else if (n.kind === 'action') emit(toText(runPipeline(n.pipeline, data)));
      else walk(truthy(runPipeline(n.cond, data)) ? n.then : n.otherwise);
    }
  };
  walk(t.nodes);
  return out.join('');
}

function runPipeline(p: Pipeline, data: TemplateData): TemplateValue {
  let piped: TemplateValue | undefined;
  for (const command of p) {
    const [head, ...rest] = command as [Operand, ...Operand[]];
    const args = rest.map((o) => operand(o, data));
    if (piped !== undefined) args.push(piped);
    if (head.kind === 'call') piped = (FUNCTIONS[head.name] as TemplateFunction)(args);
    else if (args.length > 0) throw new Error("can't give argument to non-function");
    else piped = operand(head, data);
  }
  return piped ?? '';
}

function operand(o: Operand, data: TemplateData): TemplateValue {
  switch (o.kind) {
    case 'literal':
      return o.value;
    case 'field':
      if (o.name === '__line__') return data.line;
      if (o.name === '__timestamp__') return Number(data.timeNs / 1_000_000n);
      return data.labels[o.name] ?? '';
    case 'pipeline':
      return runPipeline(o.pipeline, data);
    case 'call':
      return (FUNCTIONS[o.name] as TemplateFunction)([]);
  }
}

function truthy(v: TemplateValue): boolean {
  return v !== '' && v !== 0 && v !== false;
}

function toText(v: TemplateValue): string {
  return typeof v === 'string' ? v : String(v);
}

function str(v: TemplateValue | undefined): string {
  return v === undefined ? '' : toText(v);
}

function num(v: TemplateValue | undefined): number {
  const n = typeof v === 'number' ? v : Number(str(v));
  if (Number.isNaN(n)) throw new Error(`${JSON.stringify(v)} is not a number`);
  return n;
}

type TemplateFunction = (args: TemplateValue[]) => TemplateValue;

function arity(n: number, f: TemplateFunction): TemplateFunction {
  return (args) => {
    if (args.length !== n) throw new Error(`wrong number of args: want ${n} got ${args.length}`);
    return f(args);
  };
}

/** Compiled regexes of regexReplaceAll & co., by source. */
const regexCache = new Map<string, RE2JS>();
function regex(source: string): RE2JS {
  let r = regexCache.get(source);
  if (r === undefined) {
    r = RE2JS.compile(source);
    if (regexCache.size > 256) regexCache.clear();
    regexCache.set(source, r);
  }
  return r;
}

const FUNCTIONS: Record<string, TemplateFunction> = {
  ToUpper: arity(1, ([a]) => str(a).toUpperCase()),
  ToLower: arity(1, ([a]) => str(a).toLowerCase()),
  upper: arity(1, ([a]) => str(a).toUpperCase()),
  lower: arity(1, ([a]) => str(a).toLowerCase()),
  title: arity(1, ([a]) => str(a).replace(/\b\w/g, (c) => c.toUpperCase())),
  trim: arity(1, ([a]) => str(a).trim()),
  trimSpace: arity(1, ([a]) => str(a).trim()),
  trimPrefix: arity(2, ([p, a]) => (str(a).startsWith(str(p)) ? str(a).slice(str(p).length) : str(a))),
  trimSuffix: arity(2, ([s, a]) => (str(a).endsWith(str(s)) && str(s) !== '' ? str(a).slice(0, -str(s).length) : str(a))),
  trimAll: arity(2, ([c, a]) => trimChars(str(a), str(c))),
  replace: arity(3, ([o, n, a]) => str(a).split(str(o)).join(str(n))),
  Replace: arity(4, ([a, o, n, k]) => replaceN(str(a), str(o), str(n), num(k))),
  substr: arity(3, ([s, e, a]) => substr(str(a), num(s), num(e))),
  trunc: arity(2, ([n, a]) => (num(n) >= 0 ? str(a).slice(0, num(n)) : str(a).slice(num(n)))),
  contains: arity(2, ([s, a]) => str(a).includes(str(s))),
  hasPrefix: arity(2, ([p, a]) => str(a).startsWith(str(p))),
  hasSuffix: arity(2, ([s, a]) => str(a).endsWith(str(s))),
  repeat: arity(2, ([n, a]) => str(a).repeat(Math.max(0, Math.min(num(n), MAX_TEMPLATE_OUTPUT)))),
  len: arity(1, ([a]) => [...str(a)].length),
  default: arity(2, ([d, a]) => (a === undefined || !truthy(a) ? d : a) as TemplateValue),
  printf: (args) => formatGo(str(args[0]), args.slice(1)),
  alignLeft: arity(2, ([n, a]) => str(a).padEnd(num(n)).slice(0, num(n))),
  alignRight: arity(2, ([n, a]) => str(a).padStart(num(n)).slice(-num(n))),
  regexReplaceAll: arity(3, ([re, a, r]) => regex(str(re)).matcher(str(a)).replaceAll(str(r))),
  regexReplaceAllLiteral: arity(3, ([re, a, r]) => regex(str(re)).matcher(str(a)).replaceAll(RE2JS.quoteReplacement(str(r)))),
  eq: (args) => args.slice(1).some((b) => str(args[0]) === str(b)),
  ne: arity(2, ([a, b]) => str(a) !== str(b)),
  lt: arity(2, ([a, b]) => compare(a, b) < 0),
  le: arity(2, ([a, b]) => compare(a, b) <= 0),
  gt: arity(2, ([a, b]) => compare(a, b) > 0),
  ge: arity(2, ([a, b]) => compare(a, b) >= 0),
  and: (args) => args.find((a) => !truthy(a)) ?? args.at(-1) ?? '',
  or: (args) => args.find((a) => truthy(a)) ?? args.at(-1) ?? '',
  not: arity(1, ([a]) => !truthy(a as TemplateValue)),
  add: (args) => args.reduce<number>((s, a) => s + num(a), 0),
  sub: arity(2, ([a, b]) => num(a) - num(b)),
  mul: (args) => args.reduce<number>((s, a) => s * num(a), 1),
  div: arity(2, ([a, b]) => Math.trunc(num(a) / num(b))),
  mod: arity(2, ([a, b]) => num(a) % num(b)),
  addf: (args) => args.reduce<number>((s, a) => s + num(a), 0),
  subf: arity(2, ([a, b]) => num(a) - num(b)),
  mulf: (args) => args.reduce<number>((s, a) => s * num(a), 1),
  divf: arity(2, ([a, b]) => num(a) / num(b)),
  int: arity(1, ([a]) => Math.trunc(num(a))),
  float64: arity(1, ([a]) => num(a)),
  toString: arity(1, ([a]) => str(a)),
  count: arity(2, ([s, a]) => (str(s) === '' ? 0 : str(a).split(str(s)).length - 1)),
  urlencode: arity(1, ([a]) => encodeURIComponent(str(a))),
  urldecode: arity(1, ([a]) => decodeURIComponent(str(a))),
  b64enc: arity(1, ([a]) => Buffer.from(str(a)).toString('base64')),
  b64dec: arity(1, ([a]) => Buffer.from(str(a), 'base64').toString()),
  unixEpoch: arity(1, ([a]) => Math.floor(Date.parse(str(a)) / 1000)),
  fromJson: arity(1, ([a]) => str(a)),
};

function compare(a: TemplateValue | undefined, b: TemplateValue | undefined): number {
  if (typeof a === 'number' || typeof b === 'number') return num(a) - num(b);
  return str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0;
}

function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a] as string)) a++;
  while (b > a && chars.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

function replaceN(s: string, old: string, next: string, n: number): string {
  if (n < 0) return s.split(old).join(next);
  let out = s;
  let from = 0;
  for (let i = 0; i < n; i++) {
    const at = out.indexOf(old, from);
    if (at < 0) break;
    out = out.slice(0, at) + next + out.slice(at + old.length);
    from = at + next.length;
  }
  return out;
}

/** Sprig's substr: a negative start or an end past the string means "from the start"/"to the end". */
function substr(s: string, start: number, end: number): string {
  if (start < 0) return s.slice(0, end);
  if (end < 0 || end > s.length) return s.slice(start);
  return s.slice(start, end);
}
