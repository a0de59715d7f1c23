export { directorApi, directorApiPrefix } from './plugin.js';
export type { DirectorApiOptions } from './plugin.js';
