import type { LabelMatcher, MatchType } from '../../storage/index.js';
import { compileMatcher, regexSyntaxError } from '../../storage/index.js';
import type { CompareOp, DropKeepStage, LabelFilter, LabelFormatStage, LineFilterOp, ParserStage, Stage, Unwrap, UnwrapConversion } from './ast.js';
import { LogqlParseError } from './parseError.js';
import { parseTemplate } from './template.js';
import type { TokenStream } from './tokenStream.js';
import { parseBytes, parseGoDurationSeconds } from './units.js';

/** The part of a log query after the stream selector: `|= "x" | json | level="error" …`. */

const lineFilterOps = new Set(['|=', '!=', '|~', '!~', '|>', '!>']);
const matchOps = new Set(['=', '!=', '=~', '!~']);
const compareOps = new Set(['==', '!=', '>', '>=', '<', '<=', '=']);

/** `{a="b", c=~"d"}`: the stream selector. Loki refuses one that every stream would match. */
export function parseSelector(ts: TokenStream): LabelMatcher[] {
  const open = ts.expect('{');
  const matchers: LabelMatcher[] = [];
  if (!ts.accept('}')) {
    do matchers.push(parseMatcher(ts));
    while (ts.accept(','));
    ts.expect('}', '"," or "}"');
  }
  if (!matchers.some((m) => !matchesEmpty(m))) {
    throw new LogqlParseError(open.pos, 'queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will');
  }
  return matchers;
}

function matchesEmpty(m: LabelMatcher): boolean {
  return compileMatcher(m)('');
}

export function parseMatcher(ts: TokenStream): LabelMatcher {
  const name = ts.identifier('a label name').value;
  const op = ts.next();
  if (op.kind !== 'operator' || !matchOps.has(op.text)) throw ts.error(op, 'expected one of =, !=, =~, !~');
  const value = ts.string('a label value');
  const type = op.text as MatchType;
  if (type === '=~' || type === '!~') {
    const error = regexSyntaxError(value);
    if (error !== undefined) throw new LogqlParseError(op.pos, `invalid regular expression ${JSON.stringify(value)}: ${error}`);
  }
  return { type, name, value };
}

/** Stages up to (not including) `[`, `)` or the end; `unwrap` is returned apart (metric queries only). */
export function parsePipeline(ts: TokenStream): { stages: Stage[]; unwrap?: Unwrap } {
  const stages: Stage[] = [];
  for (;;) {
    const t = ts.peek();
    if (t.kind === 'operator' && lineFilterOps.has(t.text)) {
      ts.next();
      const values = [ts.string('a line filter value')];
      while (ts.accept('or')) values.push(ts.string('a line filter value after "or"'));
      if (t.text === '|~' || t.text === '!~') for (const v of values) checkRegex(v, t.pos);
      stages.push({ kind: 'lineFilter', op: t.text as LineFilterOp, values });
      continue;
    }
    if (!(t.kind === 'operator' && t.text === '|')) return { stages };
    ts.next();
    const word = ts.peek();
    if (word.kind === 'identifier' && word.text === 'unwrap') {
      ts.next();
      return { stages, unwrap: parseUnwrap(ts) };
    }
    stages.push(parseStage(ts));
  }
}

function parseStage(ts: TokenStream): Stage {
  const t = ts.peek();
  const word = t.kind === 'identifier' ? t.text : '';
  // A label filter on a label that happens to be called like a stage: `| json="x"`.
  const after = ts.peek(1);
  const isFilter = after.kind === 'operator' && (compareOps.has(after.text) || matchOps.has(after.text));
  if (!isFilter) {
    switch (word) {
      case 'json':
      case 'logfmt':
      case 'unpack':
        ts.next();
        return parseParser(ts, word);
      case 'regexp': {
        ts.next();
        const pattern = ts.string('a regular expression');
        const error = regexSyntaxError(pattern);
        if (error !== undefined) throw new LogqlParseError(t.pos, `invalid regular expression ${JSON.stringify(pattern)}: ${error}`);
        return { kind: 'regexp', pattern };
      }
      case 'pattern':
        ts.next();
        return { kind: 'pattern', pattern: ts.string('a pattern') };
      case 'line_format': {
        ts.next();
        const template = ts.string('a template');
        checkTemplate(template, t.pos);
        return { kind: 'lineFormat', template };
      }
      case 'label_format':
        ts.next();
        return parseLabelFormat(ts);
      case 'drop':
      case 'keep':
        ts.next();
        return parseDropKeep(ts, word);
      case 'decolorize':
        ts.next();
        return { kind: 'decolorize' };
    }
  }
  return { kind: 'labelFilter', filter: parseLabelFilter(ts) };
}

function parseParser(ts: TokenStream, kind: 'json' | 'logfmt' | 'unpack'): ParserStage {
  let strict = false;
  let keepEmpty = false;
  while (kind === 'logfmt' && ts.peek().kind === 'flag') {
    const flag = ts.next();
    if (flag.text === '--strict') strict = true;
    else if (flag.text === '--keep-empty') keepEmpty = true;
    else throw new LogqlParseError(flag.pos, `unknown logfmt flag ${flag.text}`);
  }
  const params: { label: string; source: string }[] = [];
  if (kind !== 'unpack' && ts.peek().kind === 'identifier' && !isKeyword(ts.peek().text)) {
    do {
      const label = ts.identifier('a label name').value;
      params.push({ label, source: ts.accept('=') ? ts.string('an expression') : label });
    } while (ts.accept(','));
  }
  return { kind, params, strict, keepEmpty };
}

function isKeyword(word: string): boolean {
  return word === 'or' || word === 'and' || word === 'unwrap' || word === 'offset';
}

function parseLabelFormat(ts: TokenStream): LabelFormatStage {
  const items: { dst: string; rename?: string; template?: string }[] = [];
  do {
    const dstToken = ts.identifier('a label name');
    const dst = dstToken.value;
    ts.expect('=');
    const t = ts.peek();
    if (t.kind === 'string') {
      checkTemplate(t.value, t.pos);
      items.push({ dst, template: ts.next().value });
    } else if (t.kind === 'identifier') items.push({ dst, rename: ts.next().value });
    else throw ts.error(t, 'expected a label name or a template');
    if (items.filter((i) => i.dst === dst).length > 1) throw new LogqlParseError(dstToken.pos, `multiple label name '${dst}' in the same label_format`);
  } while (ts.accept(','));
  return { kind: 'labelFormat', items };
}

function parseDropKeep(ts: TokenStream, kind: 'drop' | 'keep'): DropKeepStage {
  const items: { name: string; matcher?: LabelMatcher }[] = [];
  do {
    if (matchOps.has(ts.peek(1).text) && ts.peek(1).kind === 'operator') {
      const matcher = parseMatcher(ts);
      items.push({ name: matcher.name, matcher });
    } else items.push({ name: ts.identifier('a label name').value });
  } while (ts.accept(','));
  return { kind, items };
}

function parseUnwrap(ts: TokenStream): Unwrap {
  let conversion: UnwrapConversion = '';
  let label: string;
  const first = ts.identifier('a label to unwrap');
  if ((first.text === 'bytes' || first.text === 'duration' || first.text === 'duration_seconds') && ts.accept('(')) {
    conversion = first.text;
    label = ts.identifier('a label to unwrap').value;
    ts.expect(')');
  } else label = first.value;
  const postFilters: LabelFilter[] = [];
  while (ts.peek().text === '|' && ts.peek().kind === 'operator') {
    ts.next();
    postFilters.push(parseLabelFilter(ts));
  }
  return { label, conversion, postFilters };
}

/** `a="b" and (c > 1 or d < 10ms), e != "f"`: `,` and juxtaposition mean `and`; `and` binds tighter than `or`. */
export function parseLabelFilter(ts: TokenStream): LabelFilter {
  let left = parseAndFilter(ts);
  while (ts.accept('or')) left = { kind: 'or', left, right: parseAndFilter(ts) };
  return left;
}

function parseAndFilter(ts: TokenStream): LabelFilter {
  let left = parseFilterAtom(ts);
  for (;;) {
    if (ts.accept('and') || ts.accept(',')) left = { kind: 'and', left, right: parseFilterAtom(ts) };
    else if (ts.peek().kind === 'identifier' && !isKeyword(ts.peek().text) || (ts.peek().kind === 'punct' && ts.peek().text === '(')) left = { kind: 'and', left, right: parseFilterAtom(ts) };
    else return left;
  }
}

function parseFilterAtom(ts: TokenStream): LabelFilter {
  if (ts.accept('(')) {
    const inner = ts.nested(() => parseLabelFilter(ts));
    ts.expect(')');
    return inner;
  }
  const name = ts.identifier('a label filter').value;
  const op = ts.next();
  if (op.kind !== 'operator' || !(compareOps.has(op.text) || matchOps.has(op.text))) throw ts.error(op, `expected a comparison after label ${name}`);
  const value = ts.peek();
  if (value.kind === 'string') {
    if (!matchOps.has(op.text)) throw ts.error(value, `expected a number, duration or byte size after ${op.text}`);
    ts.next();
    if (op.text === '=~' || op.text === '!~') checkRegex(value.value, value.pos, true);
    return { kind: 'match', matcher: { type: op.text as MatchType, name, value: value.value } };
  }
  // A leading minus belongs to the number: `| delta > -5`.
  const minus = value.kind === 'operator' && value.text === '-' ? ts.next() : undefined;
  const num = ts.next();
  if (num.kind !== 'number' || op.text === '=~' || op.text === '!~') throw ts.error(num, `expected a quoted string, number, duration or byte size after ${op.text}`);
  const sign = minus === undefined ? 1 : -1;
  const compare = (op.text === '=' ? '==' : op.text) as CompareOp;
  const plain = Number(num.text);
  if (Number.isFinite(plain)) return { kind: 'number', name, op: compare, value: sign * plain };
  const seconds = parseGoDurationSeconds(num.text);
  if (seconds !== undefined) return { kind: 'duration', name, op: compare, value: sign * seconds };
  const bytes = parseBytes(num.text);
  if (bytes !== undefined) return { kind: 'bytes', name, op: compare, value: sign * bytes };
  throw new LogqlParseError(num.pos, `${JSON.stringify(num.text)} is not a number, duration or byte size`);
}

function checkRegex(source: string, pos: number, anchored = false): void {
  const error = regexSyntaxError(source);
  if (error !== undefined) throw new LogqlParseError(pos, `invalid regular expression ${JSON.stringify(source)}${anchored ? '' : ' in line filter'}: ${error}`);
}

function checkTemplate(text: string, pos: number): void {
  try {
    parseTemplate(text);
  } catch (err) {
    throw new LogqlParseError(pos, `invalid template: ${err instanceof Error ? err.message : String(err)}`);
  }
}
