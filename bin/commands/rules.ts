import { parseArgs } from 'node:util';
import { loadRuleFile, RuleFileError, runRuleUnitTests } from '../../alerting/index.js';
import type { CommandMap } from './command.js';

const help = `usage: vigil rules check FILE...
       vigil rules test FILE...

Prometheus rule files, offline (no server needed), as promtool does:
  check   validates rule files: YAML, groups, expressions, labels and templates; every problem
          names its file, group and rule. Exit 1 when any file is invalid.
  test    runs rule unit tests in promtool's format (rule_files, evaluation_interval,
          group_eval_order, tests: input_series, alert_rule_test, promql_expr_test,
          external_labels, external_url). The same files pass or fail under \`promtool test rules\`.
          Exit 1 when any test fails.
`;

async function check(files: readonly string[]): Promise<number> {
  let failed = false;
  for (const f of files) {
    process.stdout.write(`Checking ${f}\n`);
    try {
      const groups = loadRuleFile(f, 60_000);
      process.stdout.write(`  SUCCESS: ${groups.reduce((n, g) => n + g.rules.length, 0)} rules found\n`);
    } catch (err) {
      failed = true;
      process.stderr.write('  FAILED:\n');
      process.stderr.write(`${err instanceof RuleFileError ? err.problems.join('\n') : (err as Error).message}\n`);
    }
    process.stdout.write('\n');
  }
  return failed ? 1 : 0;
}

async function run(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const [sub, ...files] = positionals;
  if (values.help === true || sub === undefined) {
    process.stdout.write(help);
    return values.help === true ? 0 : 2;
  }
  if (files.length === 0) {
    process.stderr.write(`vigil rules ${sub}: name at least one file\n\n${help}`);
    return 2;
  }
  if (sub === 'check') return check(files);
  if (sub === 'test') return runRuleUnitTests(files, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  process.stderr.write(`vigil rules: unknown sub-command "${sub}"\n\n${help}`);
  return 2;
}

export const rulesCommands: CommandMap = {
  rules: { summary: 'check Prometheus rule files and run their unit tests (promtool format)', run },
};
