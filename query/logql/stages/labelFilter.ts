import { compileMatcher } from '../../../storage/index.js';
import type { CompareOp, LabelFilter } from '../ast.js';
import { parseBytes, parseGoDurationSeconds } from '../units.js';
import { ERROR_DETAILS_LABEL, ERROR_LABEL } from './labelNames.js';

/**
 * A label filter as a predicate on a line's labels, with Loki's rules: a string matcher reads an
 * absent label as ''; a numeric, duration or bytes comparison drops lines without the label,
 * and on a value it cannot convert it keeps the line and marks it `__error__="LabelFilterErr"`
 * (so that `| __error__=""` can drop it); a line already in error passes every comparison.
 */
export type LabelPredicate = (labels: Record<string, string>) => boolean;

export function compileLabelFilter(f: LabelFilter): LabelPredicate {
  switch (f.kind) {
    case 'and': {
      const l = compileLabelFilter(f.left);
      const r = compileLabelFilter(f.right);
      return (labels) => l(labels) && r(labels);
    }
    case 'or': {
      const l = compileLabelFilter(f.left);
      const r = compileLabelFilter(f.right);
      return (labels) => l(labels) || r(labels);
    }
    case 'match': {
      const test = compileMatcher(f.matcher);
      const name = f.matcher.name;
      return (labels) => test(labels[name] ?? '');
    }
    default: {
      const convert = converters[f.kind];
      const compare = comparator(f.op, f.value);
      const { name, kind } = f;
      return (labels) => {
        if (labels[ERROR_LABEL] !== undefined) return true;
        const text = labels[name];
        if (text === undefined) return false;
        const v = convert(text);
        if (v === undefined) {
          labels[ERROR_LABEL] = 'LabelFilterErr';
          labels[ERROR_DETAILS_LABEL] = `cannot convert ${JSON.stringify(text)} to ${kind}`;
          return true;
        }
        return compare(v);
      };
    }
  }
}

const converters: Record<'number' | 'duration' | 'bytes', (text: string) => number | undefined> = {
  number: (text) => {
    const v = text.trim() === '' ? NaN : Number(text);
    return Number.isNaN(v) && text !== 'NaN' ? undefined : v;
  },
  duration: parseGoDurationSeconds,
  bytes: parseBytes,
};

function comparator(op: CompareOp, value: number): (v: number) => boolean {
  switch (op) {
    case '==':
      return (v) => v === value;
    case '!=':
      return (v) => v !== value;
    case '>':
      return (v) => v > value;
    case '>=':
      return (v) => v >= value;
    case '<':
      return (v) => v < value;
    case '<=':
      return (v) => v <= value;
  }
}
