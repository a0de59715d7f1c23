import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { x as untar } from 'tar';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { VigilError, formatZodIssues } from '../../core/index.js';
import { verifyChecksums, writeReleaseChecksums } from './checksums.js';
import { jobSpecSchema, packageSpecSchema, releaseFileSchema } from './spec.js';
import type { Release, ReleaseJob, ReleasePackage } from './spec.js';
import { parseTemplate, propertiesRead } from './template.js';

function bad(message: string): VigilError {
  return new VigilError('bad_data', message);
}

function readYaml<T>(file: string, rel: string, schema: z.ZodType<T>): T {
  if (!existsSync(file)) throw bad(`release: ${rel} is missing`);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw bad(`release: ${rel} is not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  const r = schema.safeParse(doc ?? {});
  if (!r.success) throw bad(`release: ${rel}: ${formatZodIssues(r.error.issues)}`);
  return r.data;
}

function fingerprint(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

function dirs(path: string): string[] {
  if (!existsSync(path)) return [];
  if (lstatSync(path).isSymbolicLink()) throw bad(`release: ${path} is a symbolic link; releases carry plain files and directories only`);
  return readdirSync(path)
    .filter((n) => {
      const st = lstatSync(join(path, n));
      if (st.isSymbolicLink()) throw bad(`release: ${join(path, n)} is a symbolic link; releases carry plain files and directories only`);
      return st.isDirectory();
    })
    .sort();
}

/**
 * Reads a file a spec names, refusing anything that is not a regular file inside `base` (after
 * resolving links): a release must never read the director host's files (its agent key, tokens).
 */
function readInside(base: string, rel: string, what: string): Buffer {
  const file = resolve(base, rel);
  const within = (p: string, dir: string): boolean => p === dir || p.startsWith(dir + sep);
  if (!within(file, resolve(base))) throw bad(`release: ${what} leaves its directory`);
  if (!existsSync(file)) throw bad(`release: ${what} does not exist`);
  if (lstatSync(file).isSymbolicLink() || !statSync(file).isFile()) throw bad(`release: ${what} is not a regular file`);
  if (!within(realpathSync(file), realpathSync(base))) throw bad(`release: ${what} leaves its directory`);
  return readFileSync(file);
}

function loadJob(root: string, dir: string): ReleaseJob {
  const rel = `jobs/${dir}/spec.yml`;
  const spec = readYaml(join(root, 'jobs', dir, 'spec.yml'), rel, jobSpecSchema);
  if (spec.name !== dir) throw bad(`release: ${rel}: name "${spec.name}" does not match its directory "${dir}"`);
  const templates: Record<string, string> = {};
  const parts: string[] = [JSON.stringify(spec)];
  for (const src of Object.keys(spec.templates).sort()) {
    const text = readInside(join(root, 'jobs', dir, 'templates'), src, `${rel}: template ${JSON.stringify(src)} (jobs/${dir}/templates/${src})`).toString('utf8');
    const nodes = parseTemplate(text, `jobs/${dir}/templates/${src}`);
    for (const use of propertiesRead(nodes)) {
      if (!(use.name in spec.properties))
        throw bad(`release: jobs/${dir}/templates/${src} line ${use.line}: reads property "${use.name}", which ${rel} does not declare`);
    }
    templates[src] = text;
    parts.push(src, text);
  }
  const dests = Object.values(spec.templates);
  for (const p of spec.processes) {
    if (!dests.includes(p.executable) && !p.executable.startsWith('/'))
      throw bad(`release: ${rel}: process "${p.name}" runs "${p.executable}", which no template renders`);
  }
  for (const link of spec.provides) {
    for (const prop of link.properties)
      if (!(prop in spec.properties)) throw bad(`release: ${rel}: link "${link.name}" provides property "${prop}", which the job does not declare`);
  }
  return { name: spec.name, spec, templates, fingerprint: fingerprint(parts) };
}

function loadPackage(root: string, dir: string): ReleasePackage {
  const rel = `packages/${dir}/spec.yml`;
  const spec = readYaml(join(root, 'packages', dir, 'spec.yml'), rel, packageSpecSchema);
  if (spec.name !== dir) throw bad(`release: ${rel}: name "${spec.name}" does not match its directory "${dir}"`);
  const files: Record<string, string> = {};
  const parts: string[] = [JSON.stringify(spec)];
  for (const f of spec.files ?? []) {
    const b64 = readInside(join(root, 'packages', dir), f, `${rel}: file ${JSON.stringify(f)} (packages/${dir}/${f})`).toString('base64');
    files[f] = b64;
    parts.push(f, b64);
  }
  return { name: spec.name, spec, files, fingerprint: fingerprint(parts) };
}

/** Loads and checks a release directory: every error names the file (and line) and what is wrong. */
export function loadReleaseDir(root: string): Release {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw bad(`release: ${root} is not a directory`);
  const meta = readYaml(join(root, 'release.yml'), 'release.yml', releaseFileSchema);
  const packages = dirs(join(root, 'packages')).map((d) => loadPackage(root, d));
  const jobs = dirs(join(root, 'jobs')).map((d) => loadJob(root, d));
  if (jobs.length === 0) throw bad('release: it has no jobs (expected jobs/NAME/spec.yml)');
  const pkgNames = new Set(packages.map((p) => p.name));
  for (const j of jobs) {
    for (const p of j.spec.packages)
      if (!pkgNames.has(p)) throw bad(`release: jobs/${j.name}/spec.yml: needs package "${p}", which the release does not contain`);
  }
  // Integrity last, so a broken release is told what is broken rather than only that it changed.
  verifyChecksums(root, meta, { jobs: jobs.map((j) => j.name), packages: packages.map((p) => p.name) });
  return { name: meta.name, version: meta.version, jobs, packages };
}

/**
 * `vigil create-release DIR`: checks the release (everything but checksums), then writes the SHA-256 of
 * every job and package into its release.yml. Returns the release as it now loads.
 */
export function createRelease(root: string): Release {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw bad(`release: ${root} is not a directory`);
  readYaml(join(root, 'release.yml'), 'release.yml', releaseFileSchema);
  // Load every item first, so a broken job is reported instead of being blessed with a checksum.
  const packages = dirs(join(root, 'packages')).map((d) => loadPackage(root, d));
  const jobs = dirs(join(root, 'jobs')).map((d) => loadJob(root, d));
  writeReleaseChecksums(root, { jobs: jobs.map((j) => j.name), packages: packages.map((p) => p.name) });
  return loadReleaseDir(root);
}

/** Loads a release from a .tgz/.tar: extracted to a temporary directory, which is always removed. */
export async function loadReleaseTarball(file: string): Promise<Release> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-release-'));
  try {
    try {
      // Plain files and directories only: links could point a later read outside the release.
      const refused: string[] = [];
      await untar({ file, cwd: dir, strict: true, filter: (path, entry) => {
        const type = 'type' in entry ? entry.type : undefined;
        const ok = type === undefined || type === 'File' || type === 'Directory' || type === 'OldFile' || type === 'ContiguousFile';
        if (!ok) refused.push(`${path} (${String(type)})`);
        return ok;
      } });
      if (refused.length > 0) throw new Error(`it holds entries that are neither files nor directories: ${refused.slice(0, 3).join(', ')}`);
    } catch (err) {
      throw bad(`release: ${file} is not a readable tarball: ${(err as Error).message}`);
    }
    // Accept both layouts: release.yml at the root, or inside one top-level directory.
    const top = readdirSync(dir);
    const root = !existsSync(join(dir, 'release.yml')) && top.length === 1 && statSync(join(dir, top[0] as string)).isDirectory() ? join(dir, top[0] as string) : dir;
    return loadReleaseDir(root);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A directory or a tarball. */
export async function loadRelease(path: string): Promise<Release> {
  if (existsSync(path) && statSync(path).isDirectory()) return loadReleaseDir(path);
  if (!existsSync(path)) throw bad(`release: ${path} does not exist`);
  return loadReleaseTarball(path);
}
