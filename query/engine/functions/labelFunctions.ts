import type { Labels } from '../../../core/index.js';
import { isValidLabelName, VigilError } from '../../../core/index.js';
import { anchoredPattern, regexSyntaxError } from '../../../storage/index.js';
import { RE2JS } from 're2js';
import type { EvalValue } from '../values.js';
import { stringArg, vectorArg, vectorResult } from './callArgs.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';
import { expandTemplate } from './goRegexTemplate.js';

/**
 * label_replace and label_join: they rewrite labels and keep values and `__name__`. Their
 * argument checks run at every step, even over an empty vector, and fail with Prometheus'
 * messages. Two series left with the same labels are the evaluator's error to raise.
 */
export const LABEL_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['label_replace', labelReplace],
  ['label_join', labelJoin],
]);

/** Compiled label_replace regexes by source; a query repeats one at every step. */
const compiled = new Map<string, RE2JS>();
const CACHE_SIZE = 256;

/**
 * label_replace(v, dst, replacement, src, regex): where `regex` matches the whole of src's value
 * (RE2, anchored), dst becomes the expanded replacement, or is removed when that is empty. No
 * match leaves the series as it was.
 */
function labelReplace(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const vector = vectorArg(args, 0);
  const dst = stringArg(args, 1);
  const replacement = stringArg(args, 2);
  const src = stringArg(args, 3);
  const source = stringArg(args, 4);
  const regex = compileRegex(source);
  if (!isValidLabelName(dst)) throw new VigilError('execution', `invalid destination label name in label_replace(): ${dst}`);

  return vectorResult(
    vector.map((e) => {
      const matcher = regex.matcher(labelValue(e.labels, src));
      if (!matcher.matches()) return { labels: e.labels, t: ctx.t, v: e.v };
      const value = expandTemplate(
        replacement,
        (i) => (i <= matcher.groupCount() ? matcher.group(i) : null),
        regex.namedGroups() as Record<string, number>,
      );
      return { labels: withLabel(e.labels, dst, value), t: ctx.t, v: e.v };
    }),
  );
}

function compileRegex(source: string): RE2JS {
  let regex = compiled.get(source);
  if (regex !== undefined) return regex;
  // Storage's check refuses exactly what Go's regexp (RE2) refuses, `(?<name>…)` included.
  if (regexSyntaxError(source) !== undefined) throw new VigilError('execution', `invalid regular expression in label_replace(): ${source}`);
  // anchoredPattern adds only non-capturing groups: group numbers stay the user's.
  regex = RE2JS.compile(anchoredPattern(source));
  if (compiled.size >= CACHE_SIZE) compiled.clear();
  compiled.set(source, regex);
  return regex;
}

/**
 * label_join(v, dst, separator, src…): dst becomes the values of the src labels (missing ones
 * as empty strings) joined by the separator, or is removed when that is empty.
 */
function labelJoin(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const vector = vectorArg(args, 0);
  const dst = stringArg(args, 1);
  const separator = stringArg(args, 2);
  const sources: string[] = [];
  for (let i = 3; i < args.length; i++) {
    const src = stringArg(args, i);
    if (!isValidLabelName(src)) throw new VigilError('execution', `invalid source label name in label_join(): ${src}`);
    sources.push(src);
  }
  if (!isValidLabelName(dst)) throw new VigilError('execution', `invalid destination label name in label_join(): ${dst}`);

  return vectorResult(
    vector.map((e) => {
      const joined = sources.map((s) => labelValue(e.labels, s)).join(separator);
      return { labels: withLabel(e.labels, dst, joined), t: ctx.t, v: e.v };
    }),
  );
}

/** The labels with `name` set to `value`; an empty value removes the label (an empty label is a missing one). */
function withLabel(labels: Labels, name: string, value: string): Labels {
  // Built from entries: assigning would make a label named `__proto__` change the object's prototype.
  const entries = Object.entries(labels).filter(([n]) => n !== name);
  if (value !== '') entries.push([name, value]);
  return Object.fromEntries(entries);
}

/** A label's value, '' when missing (own properties only: `constructor` is a valid label name). */
function labelValue(labels: Labels, name: string): string {
  return Object.hasOwn(labels, name) ? (labels[name] as string) : '';
}
