/** Tokens inside one `{{ … }}` action. */
export type ActionToken =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'variable'; readonly text: string }
  /** `.name`; glued when written right after a variable, field or `)`: a field of that value. */
  | { readonly kind: 'field'; readonly text: string; readonly glued: boolean }
  | { readonly kind: 'dot' }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'punct'; readonly text: '|' | '(' | ')' | ':=' | '=' | ',' };

/** A template cut into text and actions; `{{-` and `-}}` trim the neighbouring white space. */
export type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'action'; readonly tokens: readonly ActionToken[]; readonly source: string };

export class TemplateSyntaxError extends Error {}

export function splitTemplate(text: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    let chunk = open < 0 ? text.slice(pos) : text.slice(pos, open);
    if (trimNext) chunk = chunk.replace(/^\s+/, '');
    if (open < 0) {
      if (chunk !== '') pieces.push({ kind: 'text', text: chunk });
      break;
    }
    const trimLeft = /^\{\{- /.test(text.slice(open, open + 4)) || text.slice(open, open + 4) === '{{-\n' || text.slice(open, open + 4) === '{{-\t';
    if (trimLeft) chunk = chunk.replace(/\s+$/, '');
    if (chunk !== '') pieces.push({ kind: 'text', text: chunk });
    const start = open + (trimLeft ? 3 : 2);
    const close = findClose(text, start);
    if (close < 0) throw new TemplateSyntaxError('unclosed action');
    const trimRight = /[ \t\n]-$/.test(text.slice(close - 2, close));
    const inner = text.slice(start, trimRight ? close - 1 : close).trim();
    trimNext = trimRight;
    pos = close + 2;
    if (inner.startsWith('/*')) {
      if (!inner.endsWith('*/')) throw new TemplateSyntaxError('unclosed comment');
      continue;
    }
    pieces.push({ kind: 'action', tokens: lexAction(inner), source: inner });
  }
  return pieces;
}

/** The `}}` closing an action, skipping quoted strings that contain one. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === '`') {
      const end = c === '`' ? text.indexOf('`', i + 1) : endOfQuoted(text, i);
      if (end < 0) return -1;
      i = end + 1;
      continue;
    }
    if (c === '}' && text[i + 1] === '}') return i;
    i++;
  }
  return -1;
}

function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
    else if (text[i] === '\n') return -1;
  }
  return -1;
}

function lexAction(src: string): ActionToken[] {
  const out: ActionToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith(':=', i)) {
      out.push({ kind: 'punct', text: ':=' });
      i += 2;
      continue;
    }
    if ('|()=,'.includes(c)) {
      out.push({ kind: 'punct', text: c as '|' | '(' | ')' | '=' | ',' });
      i++;
      continue;
    }
    if (c === '"') {
      const end = endOfQuoted(src, i);
      if (end < 0) throw new TemplateSyntaxError('unterminated quoted string');
      out.push({ kind: 'string', value: JSON.parse(src.slice(i, end + 1).replace(/\\'/g, "'")) as string });
      i = end + 1;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new TemplateSyntaxError('unterminated raw quoted string');
      out.push({ kind: 'string', value: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const word = /^(\$[A-Za-z0-9_]*|\.[A-Za-z_][A-Za-z0-9_]*|\.|[-+]?(?:0x[0-9a-fA-F]+|\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
    if (word === null) throw new TemplateSyntaxError(`unexpected ${JSON.stringify(c)} in command`);
    const w = word[1] as string;
    if (w.startsWith('$')) out.push({ kind: 'variable', text: w });
    else if (w === '.') out.push({ kind: 'dot' });
    else if (w.startsWith('.')) {
      const prev = out[out.length - 1];
      const glued = i > 0 && !/\s/.test(src[i - 1] as string) && prev !== undefined && (prev.kind === 'variable' || prev.kind === 'field' || (prev.kind === 'punct' && prev.text === ')'));
      out.push({ kind: 'field', text: w.slice(1), glued });
    }
    else if (/^[-+.\d]/.test(w)) out.push({ kind: 'number', value: Number(w) });
    else out.push({ kind: 'ident', text: w });
    i += w.length;
  }
  return out;
}
