import { RE2JS } from 're2js';
import type { LineFilterStage } from '../ast.js';
import { compilePattern, matchPattern } from './patternParser.js';

/**
 * A line filter run in process (after a stage that changed the line, or a pattern filter): the
 * same meaning as the SQL a store runs (storage/logs/logScanSql.ts): `|=` any value is a
 * substring, `!=` none is, `|~`/`!~` an RE2 match somewhere in the line, `|>`/`!>` a pattern.
 */
export function compileLineFilter(f: LineFilterStage): (line: string) => boolean {
  const tests = f.values.map((v): ((line: string) => boolean) => {
    switch (f.op) {
      case '|=':
      case '!=':
        return (line) => line.includes(v);
      case '|~':
      case '!~': {
        const re = RE2JS.compile(v);
        return (line) => re.matcher(line).find();
      }
      case '|>':
      case '!>': {
        const p = compilePattern(v);
        return (line) => matchPattern(p, line) !== undefined;
      }
    }
  });
  const any = tests.length === 1 ? (tests[0] as (line: string) => boolean) : (line: string) => tests.some((t) => t(line));
  return f.op.startsWith('!') ? (line) => !any(line) : any;
}
