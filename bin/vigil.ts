#!/usr/bin/env node
import type { CommandMap } from './commands/command.js';
import { platformCommands } from './commands/platform.js';
import { lifecycleCommands } from './commands/lifecycle.js';
import { nodeAgentCommands } from './commands/nodeAgent.js';
import { rulesCommands } from './commands/rules.js';
import { tokenCommands } from './commands/token.js';

// DuckDB's queries and commits and the bus' file work share libuv's thread pool (4 threads by
// default); give them room so a long query does not hold up a commit. Must be set before first use.
process.env.UV_THREADPOOL_SIZE ??= '8';

const commands: CommandMap = { ...platformCommands, ...nodeAgentCommands, ...lifecycleCommands, ...rulesCommands, ...tokenCommands };

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: vigil <command> [flags]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`vigil: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
