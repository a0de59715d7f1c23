/**
 * How a director started by this binary starts VM agents: this same binary, same loader flags.
 * Its own file so the director role need not import the CLI commands (which start the platform,
 * which starts the roles: a cycle).
 */
export function agentCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1] ?? 'bin/vigil.ts', 'vm-agent'];
}
