import { z } from 'zod';

/** A path that stays inside its directory: relative, no "..", no odd characters (load.ts checks again on disk). */
const relativePath = (what: string) => z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, what);

const name = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/i, 'a name of letters, digits, "_", "-" or "."');

const checksums = z
  .array(z.object({ name, sha1: z.string().regex(/^(?:[0-9a-f]{40}|sha256:[0-9a-f]{64})$/, '40 hex digits (SHA-1) or sha256:<64 hex digits>') }).strict())
  .optional();

/** release.yml at the root of a release directory, with a checksum per job and package (checksums.ts). */
export const releaseFileSchema = z
  .object({ name, version: z.union([z.string().min(1), z.number()]).transform(String), description: z.string().optional(), jobs: checksums, packages: checksums })
  .strict();

const linkProvideSchema = z.object({ name, type: name, properties: z.array(z.string()).default([]) }).strict();
const linkConsumeSchema = z.object({ name, type: name, optional: z.boolean().default(false) }).strict();

/** jobs/NAME/spec.yml: what the job renders, what it runs, what it needs and offers. */
export const jobSpecSchema = z
  .object({
    name,
    description: z.string().optional(),
    /** Template source (under templates/) → destination path inside the job directory on the VM. */
    templates: z.record(relativePath('a relative path inside templates/'), relativePath('a relative path inside the job directory')).default({}),
    packages: z.array(name).default([]),
    /** The processes the agent keeps running (monit-like); `executable` is relative to the job directory. */
    processes: z
      .array(z.object({ name, executable: z.string().min(1), args: z.array(z.string()).default([]) }).strict())
      .default([]),
    properties: z
      .record(z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'a dotted property name'), z.object({ description: z.string().optional(), default: z.unknown().optional() }).strict().nullable())
      .default({})
      .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? {}]))),
    provides: z.array(linkProvideSchema).default([]),
    consumes: z.array(linkConsumeSchema).default([]),
  })
  .strict();

/** packages/NAME/spec.yml: a host binary found on PATH, or files shipped with the release. */
export const packageSpecSchema = z
  .object({
    name,
    description: z.string().optional(),
    host_binaries: z.array(z.string().regex(/^[\w.+-]+$/, 'a program name')).optional(),
    files: z.array(relativePath('a relative path inside the package directory')).optional(),
  })
  .strict()
  .refine((p) => (p.host_binaries?.length ?? 0) + (p.files?.length ?? 0) > 0, { message: 'a package needs host_binaries or files' });

export type JobSpec = z.infer<typeof jobSpecSchema>;
export type PackageSpec = z.infer<typeof packageSpecSchema>;

export interface ReleaseJob {
  readonly name: string;
  readonly spec: JobSpec;
  /** Template source name → text. */
  readonly templates: Readonly<Record<string, string>>;
  readonly fingerprint: string;
}

export interface ReleasePackage {
  readonly name: string;
  readonly spec: PackageSpec;
  /** Shipped file path → base64 content. */
  readonly files: Readonly<Record<string, string>>;
  readonly fingerprint: string;
}

/** A loaded, validated release: what the director stores and renders from. Plain data (JSON-safe). */
export interface Release {
  readonly name: string;
  readonly version: string;
  readonly jobs: readonly ReleaseJob[];
  readonly packages: readonly ReleasePackage[];
}
