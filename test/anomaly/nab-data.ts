import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The NAB subset lives beside the repository (../shared/data/nab from the repo root), in CI too. */
export const nabDir = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'nab');
export const hasNab = existsSync(resolve(nabDir, 'labels', 'combined_windows.json'));
