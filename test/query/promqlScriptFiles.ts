import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Section } from './promqlSections.js';
import { sectionsOf } from './promqlSections.js';
import { parseScript } from './promqlScript.js';

/** test/query/promql: the PromQL scripts both runners read. */
export const scriptDir = join(import.meta.dirname, 'promql');

export interface ScriptFile {
  readonly name: string;
  readonly sections: readonly Section[];
}

export function scriptFiles(): ScriptFile[] {
  return readdirSync(scriptDir)
    .filter((f) => f.endsWith('.test'))
    .sort()
    .map((name) => ({ name, sections: sectionsOf(parseScript(readFileSync(join(scriptDir, name), 'utf8'))) }));
}

/** The scripts listed in test/query/promql/SUPPORTED, whose every eval Vigil's engine must pass today. */
export function supportedScripts(): Set<string> {
  const text = readFileSync(join(scriptDir, 'SUPPORTED'), 'utf8');
  return new Set(text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== ''));
}

/** How a case is named in test reports: file:line and the query. */
export function caseName(file: string, line: number, expr: string): string {
  return `${file}:${line} ${expr}`;
}
