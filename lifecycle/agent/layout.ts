import { accessSync, chmodSync, constants, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { ApplyPackage } from './protocol.js';
import type { RenderedJob } from '../release/index.js';

/** Finds a program on PATH, like `command -v`. */
export function which(program: string, path = process.env['PATH'] ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir.length === 0) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

/**
 * Lays a package out under packages/NAME: host binaries are linked into bin/, shipped files written as-is.
 * A host binary that is missing fails the apply with a message naming the package and the binary.
 */
export function installPackage(packagesDir: string, pkg: ApplyPackage): void {
  const dir = join(packagesDir, pkg.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  for (const bin of pkg.host_binaries) {
    const found = which(bin);
    if (found === null) throw new Error(`package ${pkg.name}: host binary "${bin}" is not on PATH of this host`);
    symlinkSync(found, join(dir, 'bin', bin));
  }
  for (const [rel, b64] of Object.entries(pkg.files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(b64, 'base64'));
  }
}

/** Writes a job's rendered files under jobs/NAME; files under bin/ become executable. */
export function installJob(jobsDir: string, job: RenderedJob): string {
  const dir = join(jobsDir, job.name);
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(job.files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (rel.startsWith('bin/')) chmodSync(file, 0o755);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Points VM_DIR/store at the persistent disk, or at a plain directory when there is none. */
export function linkStore(vmDir: string, diskDir: string | null): string {
  const store = join(vmDir, 'store');
  // Never recurse through the link: that would empty the persistent disk.
  if (isSymlink(store)) unlinkSync(store);
  else if (existsSync(store) && diskDir !== null) rmSync(store, { recursive: true, force: true });
  if (diskDir === null) mkdirSync(store, { recursive: true });
  else symlinkSync(diskDir, store);
  return store;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
