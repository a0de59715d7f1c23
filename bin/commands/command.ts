/**
 * A `vigil` sub-command. Each command group lives in its own file under bin/commands/ and exports
 * a map of these; bin/vigil.ts only dispatches.
 */
export interface Command {
  /** One line for `vigil help`. */
  readonly summary: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: readonly string[]): Promise<number>;
}

export type CommandMap = Readonly<Record<string, Command>>;
