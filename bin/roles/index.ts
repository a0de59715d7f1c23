import type { Role } from '../role.js';
import { busRole } from './busRole.js';
import { collectorRole } from './collectorRole.js';
import { directorRole } from './director.js';
import { ingestRole } from './ingestRole.js';
import { queryRole } from './queryRole.js';
import { scraperRole } from './scraperRole.js';
import { rulesRole } from './rulesRole.js';
import { storeRole } from './storeRole.js';
import { writerRole } from './writerRole.js';

/** Every module of the single binary, by name. */
export const allRoles: ReadonlyMap<string, Role> = new Map(
  [busRole, storeRole, ingestRole, writerRole, queryRole, rulesRole, collectorRole, scraperRole, directorRole].map((r) => [r.name, r]),
);

/** Named sets of roles: `all` is the embedded single process. */
export const targets: ReadonlyMap<string, readonly string[]> = new Map([
  ['all', ['ingest', 'writer', 'query', 'rules', 'collector', 'scraper', 'director']],
]);
