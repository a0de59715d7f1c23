import type { CommandMap } from './command.js';

/** `vigil start` and friends; wired in the foundation work. */
export const platformCommands: CommandMap = {};
