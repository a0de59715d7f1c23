import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { VigilError } from '../../core/index.js';

/**
 * Release checksums, as BOSH's release.MF carries a `sha1` per job and package: release.yml lists
 * `jobs: [{name, sha1}]` and `packages: [{name, sha1}]`, where sha1 is 40 hex digits (SHA-1) or
 * `sha256:<64 hex>`. Our jobs and packages are directories, not tarballs, so the digest covers the
 * directory: every file under it in byte order of its relative path, each as `path NUL size NUL bytes`.
 * Symlinks and other special files are refused (a release carries plain files only).
 */
export const CHECKSUM = /^(?:[0-9a-f]{40}|sha256:[0-9a-f]{64})$/;

function bad(message: string): VigilError {
  return new VigilError('bad_data', message);
}

function files(root: string, rel: string, into: string[]): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    const st = lstatSync(join(root, r));
    if (st.isDirectory()) files(root, r, into);
    else if (st.isFile()) into.push(r);
    else throw bad(`release: ${r} is neither a file nor a directory (symlinks are not allowed in a release)`);
  }
}

/** The checksum of a job or package directory (`dir` relative to the release root, e.g. jobs/etcd). */
export function directoryChecksum(root: string, dir: string, algorithm: 'sha1' | 'sha256' = 'sha256'): string {
  const list: string[] = [];
  files(join(root, dir), '', list);
  // Sort by bytes, not locale, so every machine agrees.
  list.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const h = createHash(algorithm);
  for (const f of list) {
    const bytes = readFileSync(join(root, dir, f));
    h.update(`${f}\0${bytes.length}\0`).update(bytes);
  }
  return algorithm === 'sha1' ? h.digest('hex') : `sha256:${h.digest('hex')}`;
}

export interface ChecksumEntry {
  readonly name: string;
  readonly sha1: string;
}

/**
 * Checks every job and package directory against release.yml: each needs a checksum, each checksum an
 * item, and each must match. The error names the item.
 */
export function verifyChecksums(root: string, listed: { jobs?: readonly ChecksumEntry[]; packages?: readonly ChecksumEntry[] }, present: { jobs: readonly string[]; packages: readonly string[] }): void {
  for (const kind of ['jobs', 'packages'] as const) {
    const want = new Map((listed[kind] ?? []).map((e) => [e.name, e.sha1]));
    for (const name of want.keys()) if (!present[kind].includes(name)) throw bad(`release: release.yml lists a checksum for ${kind}/${name}, which the release does not contain`);
    for (const name of present[kind]) {
      const expected = want.get(name);
      if (expected === undefined) throw bad(`release: ${kind}/${name} has no checksum in release.yml (${kind}: [{name, sha1}]); run vigil create-release DIR to write them`);
      const actual = directoryChecksum(root, `${kind}/${name}`, expected.startsWith('sha256:') ? 'sha256' : 'sha1');
      if (actual !== expected) throw bad(`release: ${kind}/${name} does not match its checksum in release.yml (expected ${expected}, got ${actual}): a file under ${kind}/${name} was changed`);
    }
  }
}

/**
 * What BOSH's create-release does for checksums: computes SHA-256 of every job and package directory and
 * writes them into release.yml (keeping its other keys and comments). Returns the checksums written.
 */
export function writeReleaseChecksums(root: string, present: { jobs: readonly string[]; packages: readonly string[] }): { jobs: ChecksumEntry[]; packages: ChecksumEntry[] } {
  const file = join(root, 'release.yml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const sums = {
    jobs: present.jobs.map((name) => ({ name, sha1: directoryChecksum(root, `jobs/${name}`) })),
    packages: present.packages.map((name) => ({ name, sha1: directoryChecksum(root, `packages/${name}`) })),
  };
  doc.set('jobs', doc.createNode(sums.jobs, { flow: false }));
  doc.set('packages', doc.createNode(sums.packages, { flow: false }));
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return sums;
}
