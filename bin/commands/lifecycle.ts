import type { CommandMap } from './command.js';

/** The bosh-style lifecycle commands (deploy, instances, tasks, ...); filled in by the lifecycle work. */
export const lifecycleCommands: CommandMap = {};
