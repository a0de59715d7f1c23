import type { Command, Node, Operand, Pipeline } from './templateAst.js';
import type { ActionToken, Piece } from './templateLexer.js';
import { splitTemplate, TemplateSyntaxError } from './templateLexer.js';

/** Parses a template into nodes; throws TemplateSyntaxError naming what is wrong. */
export function parseTemplate(text: string): Node[] {
  const pieces = splitTemplate(text);
  let i = 0;

  /** Nodes up to an `end` or `else` (returned as the stop reason) or the end of input. */
  const list = (): { nodes: Node[]; stop: 'end' | 'else' | 'eof'; elseTokens?: readonly ActionToken[] } => {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const p = pieces[i++] as Piece;
      if (p.kind === 'text') {
        nodes.push({ kind: 'text', text: p.text });
        continue;
      }
      const [head, ...rest] = p.tokens;
      const keyword = head?.kind === 'ident' ? head.text : '';
      switch (keyword) {
        case 'end':
          return { nodes, stop: 'end' };
        case 'else':
          return { nodes, stop: 'else', elseTokens: rest };
        case 'if':
        case 'with':
          nodes.push(conditional(keyword, rest));
          break;
        case 'range':
          nodes.push(rangeNode(rest));
          break;
        case 'define':
        case 'template':
        case 'block':
        case 'break':
        case 'continue':
          throw new TemplateSyntaxError(`{{${keyword}}} is not supported in alert templates`);
        default:
          nodes.push({ kind: 'action', pipeline: pipeline(p.tokens) });
      }
    }
    return { nodes, stop: 'eof' };
  };

  const conditional = (kind: 'if' | 'with', tokens: readonly ActionToken[]): Node => {
    const pipe = pipeline(tokens);
    const body = list();
    if (body.stop === 'eof') throw new TemplateSyntaxError(`unexpected EOF: {{${kind}}} without {{end}}`);
    let otherwise: Node[] = [];
    if (body.stop === 'else') {
      const elseTokens = body.elseTokens ?? [];
      const chained = elseTokens[0];
      if (chained?.kind === 'ident' && (chained.text === 'if' || chained.text === 'with')) {
        // `else if` nests a conditional that consumes the shared {{end}}.
        otherwise = [conditional(chained.text, elseTokens.slice(1))];
      } else {
        const tail = list();
        if (tail.stop !== 'end') throw new TemplateSyntaxError(`expected {{end}} after {{else}} of {{${kind}}}`);
        otherwise = tail.nodes;
      }
    }
    return { kind, pipeline: pipe, then: body.nodes, otherwise };
  };

  const rangeNode = (tokens: readonly ActionToken[]): Node => {
    let keyVar: string | undefined;
    let valueVar: string | undefined;
    let rest = tokens;
    // `range $k, $v := pipeline` or `range $v := pipeline`
    const declIndex = tokens.findIndex((t) => t.kind === 'punct' && t.text === ':=');
    if (declIndex > 0) {
      const vars = tokens.slice(0, declIndex).filter((t) => !(t.kind === 'punct' && t.text === ','));
      if (vars.length > 2 || vars.some((t) => t.kind !== 'variable')) throw new TemplateSyntaxError('range can declare at most two variables');
      const names = vars.map((t) => (t as { text: string }).text);
      if (names.length === 2) [keyVar, valueVar] = names;
      else valueVar = names[0];
      rest = tokens.slice(declIndex + 1);
    }
    const pipe = pipeline(rest);
    const body = list();
    if (body.stop === 'eof') throw new TemplateSyntaxError('unexpected EOF: {{range}} without {{end}}');
    let otherwise: Node[] = [];
    if (body.stop === 'else') {
      const tail = list();
      if (tail.stop !== 'end') throw new TemplateSyntaxError('expected {{end}} after {{else}} of {{range}}');
      otherwise = tail.nodes;
    }
    return { kind: 'range', pipeline: pipe, body: body.nodes, otherwise, ...(keyVar === undefined ? {} : { keyVar }), ...(valueVar === undefined ? {} : { valueVar }) };
  };

  const result = list();
  if (result.stop !== 'eof') throw new TemplateSyntaxError(`unexpected {{${result.stop}}}`);
  return result.nodes;
}

/** A pipeline: `[$x :=] command | command …`. */
function pipeline(tokens: readonly ActionToken[]): Pipeline {
  let rest = tokens;
  let declare: Pipeline['declare'];
  const [a, b] = tokens;
  if (a?.kind === 'variable' && b?.kind === 'punct' && (b.text === ':=' || b.text === '=')) {
    declare = { name: a.text, assign: b.text === '=' };
    rest = tokens.slice(2);
  }
  const commands: Command[] = [];
  let current: Operand[] = [];
  let pos = 0;
  while (pos < rest.length) {
    const t = rest[pos] as ActionToken;
    if (t.kind === 'punct' && t.text === '|') {
      if (current.length === 0) throw new TemplateSyntaxError('missing command before |');
      commands.push({ args: current });
      current = [];
      pos++;
      continue;
    }
    const [operand, next] = operandAt(rest, pos);
    current.push(operand);
    pos = next;
  }
  if (current.length === 0) throw new TemplateSyntaxError(commands.length === 0 ? 'missing value for command' : 'missing command after |');
  commands.push({ args: current });
  return declare === undefined ? { commands } : { declare, commands };
}

function operandAt(tokens: readonly ActionToken[], pos: number): [Operand, number] {
  const t = tokens[pos] as ActionToken;
  let operand: Operand;
  let next = pos + 1;
  switch (t.kind) {
    case 'dot':
      operand = { kind: 'dot', fields: [] };
      break;
    case 'field':
      operand = { kind: 'dot', fields: [t.text] };
      break;
    case 'variable':
      operand = { kind: 'variable', name: t.text, fields: [] };
      break;
    case 'string':
      operand = { kind: 'string', value: t.value };
      break;
    case 'number':
      operand = { kind: 'number', value: t.value };
      break;
    case 'ident':
      operand = t.text === 'true' || t.text === 'false' ? { kind: 'bool', value: t.text === 'true' } : t.text === 'nil' ? { kind: 'nil' } : { kind: 'function', name: t.text };
      break;
    case 'punct': {
      if (t.text !== '(') throw new TemplateSyntaxError(`unexpected ${JSON.stringify(t.text)} in operand`);
      let depth = 1;
      let end = pos + 1;
      for (; end < tokens.length; end++) {
        const u = tokens[end] as ActionToken;
        if (u.kind === 'punct' && u.text === '(') depth++;
        if (u.kind === 'punct' && u.text === ')' && --depth === 0) break;
      }
      if (end >= tokens.length) throw new TemplateSyntaxError('unclosed left paren');
      operand = { kind: 'pipeline', pipeline: pipeline(tokens.slice(pos + 1, end)), fields: [] };
      next = end + 1;
      break;
    }
  }
  // Fields glued to the operand: `$labels.instance`, `.Labels.job`, `(query "x").Value`.
  const fields: string[] = [];
  while (next < tokens.length) {
    const f = tokens[next] as ActionToken;
    if (f.kind !== 'field' || !f.glued) break;
    fields.push(f.text);
    next++;
  }
  if (fields.length > 0) {
    if (operand.kind === 'dot' || operand.kind === 'variable' || operand.kind === 'pipeline') operand = { ...operand, fields: [...operand.fields, ...fields] };
    else throw new TemplateSyntaxError(`unexpected . after term`);
  }
  return [operand, next];
}
