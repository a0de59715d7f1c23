export { lifecycleCli } from './commands.js';
export type { CliRun } from './commands.js';
export type { Io } from './follow.js';
export { DirectorClient, directorUrl } from './client.js';
