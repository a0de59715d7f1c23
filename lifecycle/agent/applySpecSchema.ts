import { z } from 'zod';
import { formatZodIssues } from '../../core/index.js';
import type { ApplySpec } from './protocol.js';

const strings = z.array(z.string());
const fileMap = z.record(z.string(), z.string());

/** The shape of an apply spec (protocol.ts), checked before the agent touches the disk with it. */
const applySpecSchema = z.object({
  deployment: z.string().min(1),
  instance: z.object({ group: z.string().min(1), index: z.number().int().min(0), id: z.string(), az: z.string() }),
  address: z.string(),
  state: z.enum(['started', 'stopped']),
  jobs: z.array(
    z.object({
      name: z.string().min(1),
      release: z.string(),
      files: fileMap,
      processes: z.array(z.object({ name: z.string().min(1), executable: z.string().min(1), args: strings })),
      packages: strings,
      hash: z.string(),
    }),
  ),
  packages: z.array(z.object({ name: z.string().min(1), host_binaries: strings, files: fileMap, fingerprint: z.string() })),
  persistent_disk_cid: z.string().nullable(),
  hash: z.string().min(1),
});

/** Thrown for a spec of the wrong shape: the agent answers 400. */
export class BadSpecError extends Error {
  readonly status = 400;
}

export function parseApplySpec(body: unknown): ApplySpec {
  const r = applySpecSchema.safeParse(body);
  if (!r.success) throw new BadSpecError(`apply spec is invalid: ${formatZodIssues(r.error.issues, 'body').slice(0, 500)}`);
  return r.data;
}
