import { VigilError } from '../../../core/index.js';

/**
 * Loki's pattern expressions: literals and `<name>` captures (`<_>` captures nothing), e.g.
 * `<ip> - - [<_>] "<method> <uri> <_>" <status>`. A capture takes the text up to the next
 * literal's first occurrence (the last one takes the rest of the line); the line matches when
 * every literal is found in order, the first one at the very start.
 */
export interface CompiledPattern {
  /** Alternating parts: a literal (string) or a capture name ('_' for none). */
  readonly parts: readonly { readonly literal?: string; readonly capture?: string }[];
}

export function compilePattern(text: string): CompiledPattern {
  const parts: { literal?: string; capture?: string }[] = [];
  const re = /<(_|[a-zA-Z_][a-zA-Z0-9_]*)>/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) parts.push({ literal: text.slice(last, m.index) });
    const prev = parts.at(-1);
    if (prev?.capture !== undefined) throw new VigilError('bad_data', `invalid pattern ${JSON.stringify(text)}: consecutive captures are not allowed`);
    parts.push({ capture: m[1] as string });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ literal: text.slice(last) });
  if (!parts.some((p) => p.capture !== undefined)) throw new VigilError('bad_data', `invalid pattern ${JSON.stringify(text)}: at least one capture is required`);
  const names = parts.map((p) => p.capture).filter((c) => c !== undefined && c !== '_');
  if (new Set(names).size !== names.length) throw new VigilError('bad_data', `invalid pattern ${JSON.stringify(text)}: duplicate capture name`);
  return { parts };
}

/** The captures when the line matches, else undefined. */
export function matchPattern(p: CompiledPattern, line: string): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  let i = 0;
  const parts = p.parts;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] as { literal?: string; capture?: string };
    if (part.literal !== undefined) {
      if (k === 0) {
        if (!line.startsWith(part.literal)) return undefined;
        i = part.literal.length;
      }
      continue;
    }
    const next = parts[k + 1]?.literal;
    let end: number;
    if (next === undefined) end = line.length;
    else {
      end = line.indexOf(next, i);
      if (end < 0) return undefined;
    }
    if (part.capture !== '_') out.push([part.capture as string, line.slice(i, end)]);
    i = next === undefined ? end : end + next.length;
  }
  return out;
}
