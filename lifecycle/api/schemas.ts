import { z } from 'zod';

export const deployBody = z.object({ manifest: z.string().min(1), dry_run: z.boolean().default(false), deployment: z.string().optional() }).strict();

export const instanceActionBody = z
  .object({
    action: z.enum(['recreate', 'restart', 'stop', 'start']),
    /** "group", "group/index" or absent for every instance. */
    target: z.string().min(1).optional(),
    reason: z.string().optional(),
  })
  .strict();

export const healBody = z
  .object({
    instance: z.string().regex(/^[^/]+\/[^/]+$/, 'an instance like "etcd/0"'),
    action: z.enum(['recreate', 'restart']),
    reason: z.string().min(1),
  })
  .strict();

export const cckBody = z
  .object({ resolutions: z.record(z.string(), z.string()).default({}), auto: z.boolean().default(false) })
  .strict();

const processStatus = z
  .object({
    job: z.string(),
    name: z.string(),
    state: z.enum(['running', 'starting', 'failing', 'stopped']),
    restarts: z.number(),
    uptime_ms: z.number(),
    pid: z.number().nullable(),
  })
  .strict();

export const heartbeatBody = z
  .object({
    agent_id: z.string(),
    job_state: z.enum(['running', 'failing', 'stopped', 'starting']),
    processes: z.array(processStatus),
    spec_hash: z.string().nullable(),
  })
  .strict();

export const tasksQuery = z
  .object({
    recent: z.coerce.number().int().positive().optional(),
    deployment: z.string().optional(),
    all: z.enum(['true', 'false']).optional(),
  })
  .strict();

export const eventsQuery = z.object({ after: z.coerce.number().int().min(0).default(0) }).strict();

/** GET /audit: newest first, `before` an entry id to page back. */
export const auditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    before: z.coerce.number().int().positive().optional(),
  })
  .strict();
