import { z } from 'zod';
import { maxInFlightSchema } from './maxInFlight.js';
import { watchTimeSchema } from './watchTime.js';

/** Names of deployments, groups, jobs and variables: they end up in paths and URLs. */
export const nameSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/i, 'a name of letters, digits, "_", "-" or "." (max 63)');

const ipSchema = z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, 'a loopback IPv4 address (127.x.y.z)');

export const updateSchema = z
  .object({
    canaries: z.number().int().min(0),
    max_in_flight: maxInFlightSchema,
    canary_watch_time: watchTimeSchema,
    update_watch_time: watchTimeSchema,
    /** true: instance groups one after another, in manifest order; false: all groups at once. */
    serial: z.boolean().default(true),
  })
  .strict();

const jobSchema = z
  .object({
    name: nameSchema,
    release: nameSchema,
    properties: z.record(z.string(), z.unknown()).default({}),
    /** Explicit link wiring: consumed link name → providing job name in this deployment. */
    consumes: z.record(z.string(), z.object({ from: nameSchema }).strict()).optional(),
  })
  .strict();

const networkSchema = z
  .object({ name: nameSchema, static_ips: z.array(ipSchema).optional(), default: z.array(z.string()).optional() })
  .strict();

const instanceGroupSchema = z
  .object({
    name: nameSchema,
    instances: z.number().int().min(0),
    azs: z.array(nameSchema).min(1).default(['z1']),
    jobs: z.array(jobSchema).min(1),
    networks: z.array(networkSchema).min(1),
    vm_type: nameSchema,
    stemcell: z.string().optional(),
    /** Size in MiB of the disk that outlives the VM; 0 or absent: none. */
    persistent_disk: z.number().int().min(0).default(0),
    update: updateSchema.partial().optional(),
    lifecycle: z.literal('service').default('service'),
  })
  .strict();

const variableSchema = z
  .object({
    name: nameSchema,
    type: z.enum(['password', 'certificate']),
    options: z
      .object({
        is_ca: z.boolean().optional(),
        ca: nameSchema.optional(),
        common_name: z.string().optional(),
        alternative_names: z.array(z.string()).optional(),
        length: z.number().int().min(8).max(256).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const manifestSchema = z
  .object({
    name: nameSchema,
    releases: z.array(z.object({ name: nameSchema, version: z.union([z.string(), z.number()]).transform(String) }).strict()).min(1),
    stemcells: z.array(z.record(z.string(), z.unknown())).optional(),
    update: updateSchema,
    instance_groups: z.array(instanceGroupSchema),
    variables: z.array(variableSchema).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    const releaseNames = new Set(m.releases.map((r) => r.name));
    const seen = new Set<string>();
    m.instance_groups.forEach((g, gi) => {
      if (seen.has(g.name)) ctx.addIssue({ code: 'custom', path: ['instance_groups', gi, 'name'], message: `duplicate instance group "${g.name}"` });
      seen.add(g.name);
      g.jobs.forEach((j, ji) => {
        if (!releaseNames.has(j.release))
          ctx.addIssue({ code: 'custom', path: ['instance_groups', gi, 'jobs', ji, 'release'], message: `release "${j.release}" is not listed under releases` });
      });
      g.networks.forEach((n, ni) => {
        if (n.static_ips !== undefined && n.static_ips.length !== g.instances)
          ctx.addIssue({
            code: 'custom',
            path: ['instance_groups', gi, 'networks', ni, 'static_ips'],
            message: `${n.static_ips.length} static IPs for ${g.instances} instances`,
          });
      });
    });
    const vars = new Set<string>();
    m.variables.forEach((v, vi) => {
      if (vars.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variables', vi, 'name'], message: `duplicate variable "${v.name}"` });
      vars.add(v.name);
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type InstanceGroup = Manifest['instance_groups'][number];
export type ManifestJob = InstanceGroup['jobs'][number];
export type UpdateConfig = z.infer<typeof updateSchema>;
export type VariableDef = Manifest['variables'][number];
