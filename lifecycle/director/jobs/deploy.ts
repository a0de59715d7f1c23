import { VigilError } from '../../../core/index.js';
import { parseManifest } from '../../manifest/index.js';
import type { Manifest } from '../../manifest/index.js';
import { IpPool, describePlan, ensureVariables, planDeployment } from '../../planner/index.js';
import type { Plan } from '../../planner/index.js';
import type { Release } from '../../release/index.js';
import { createVmSteps, stepsForAction, updateGroups } from '../../update/index.js';
import type { Ops } from '../../update/index.js';
import { opsFor, unit } from '../deps.js';
import type { DirectorDeps } from '../deps.js';
import type { TaskReport } from '../report.js';
import type { DirectorStore } from '../store.js';
import type { TaskContext, TaskHandler } from '../taskQueue.js';

export interface DeployArgs {
  readonly manifest: string;
  readonly dryRun: boolean;
}

/** The releases a manifest names, resolved to uploaded ones; a missing one is a precise error. */
export function resolveReleases(store: DirectorStore, manifest: Manifest): Map<string, Release> {
  const out = new Map<string, Release>();
  manifest.releases.forEach((r, i) => {
    const rel = store.getRelease(r.name, r.version);
    if (rel === null) throw new VigilError('bad_data', `releases.${i}: release ${r.name}/${r.version} is not uploaded (vigil upload-release PATH)`);
    out.set(r.name, rel);
  });
  return out;
}

/** VMs the director believes in but the CPI does not have are forgotten, so the plan recreates them. */
async function forgetVanishedVms(deps: DirectorDeps, deployment: string): Promise<string[]> {
  const gone: string[] = [];
  for (const i of deps.store.instances(deployment)) {
    if (i.vmCid !== null && !(await deps.cpi.hasVm(i.vmCid))) {
      deps.store.updateInstance(deployment, i.group, i.index, { vmCid: null, agentId: null, vmCreatedAt: null });
      gone.push(`${i.group}/${i.index}`);
    }
  }
  return gone;
}

async function limited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length && errors.length === 0) {
        try {
          await fn(items[next++] as T);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    }),
  );
  if (errors.length > 0) throw new Error(errors.join('; '));
}

async function applyPlan(ops: Ops, report: TaskReport, plan: Plan, manifest: Manifest): Promise<void> {
  const dep = plan.deployment;
  // 1. Obsolete instances go first, freeing their addresses.
  await limited(plan.obsolete, 5, (o) =>
    unit(ops, report, 'Deleting unneeded instances', { deployment: dep, group: o.group, index: o.index, desired: null, reason: null }, stepsForAction('delete'), { index: 1, total: plan.obsolete.length }).run({ minMs: 0, maxMs: 0 }, false),
  );
  // 2. VMs for new instances, all at once: no job runs yet, so this disrupts nothing.
  const fresh = plan.groups.flatMap((g) => g.instances.filter((i) => i.action === 'create'));
  await limited(fresh, 5, (p) =>
    unit(ops, report, 'Creating missing VMs', { deployment: dep, group: p.desired.group, index: p.desired.index, desired: p.desired, reason: null }, createVmSteps, {
      index: fresh.indexOf(p) + 1,
      total: fresh.length,
    }).run({ minMs: 0, maxMs: 0 }, false),
  );
  // 3. Jobs, group by group, canaries first.
  const groups = plan.groups.map((g) => {
    const todo = g.instances.filter((i) => i.action !== 'none');
    return {
      name: g.name,
      update: g.update,
      size: g.instances.length,
      units: todo.map((p, k) =>
        unit(ops, report, 'Updating instance', { deployment: dep, group: p.desired.group, index: p.desired.index, desired: p.desired, reason: null }, stepsForAction(p.action), {
          index: k + 1,
          total: todo.length,
        }),
      ),
    };
  });
  await updateGroups(groups, manifest.update.serial);
}

/**
 * The deploy job, as a story: parse the manifest, resolve releases, notice vanished VMs, plan, (stop here
 * for a dry run,) delete what is obsolete, create missing VMs, update groups with canaries. It holds the
 * deployment's lock throughout (the task queue runs one task per deployment). Safe to run again after a
 * director restart: planning starts from the recorded actual state.
 */
export function deployJob(deps: DirectorDeps): TaskHandler {
  return {
    resumable: true,
    async run({ task, report, signal }: TaskContext) {
      const args = task.args as DeployArgs;
      const stage = 'Preparing deployment';
      const manifest = await report.step(stage, 'Parsing manifest', async () => parseManifest(args.manifest));
      const releases = await report.step(stage, 'Resolving releases', async () => resolveReleases(deps.store, manifest));
      if (!args.dryRun) {
        const gone = await report.step(stage, 'Checking VMs', () => forgetVanishedVms(deps, manifest.name));
        if (gone.length > 0) report.info(stage, `VMs gone, to be recreated: ${gone.join(', ')}`);
      }
      const vars = ensureVariables(manifest.variables, deps.store.variables(manifest.name));
      const plan = await report.step(stage, 'Planning', async () =>
        planDeployment({ manifest, releases, actual: deps.store.instances(manifest.name), variables: vars.values, ips: new IpPool(deps.network, deps.store.usedIps()) }),
      );
      const lines = describePlan(plan);
      for (const l of lines) report.info('Plan', `${l.instance}: ${l.action}${l.changes.length > 0 ? ` (${l.changes.join(', ')})` : ''}`, [l.action]);
      if (args.dryRun) return { dry_run: true, plan: lines };
      for (const name of vars.generated) deps.store.putVariable(manifest.name, name, vars.values.get(name));
      deps.store.putDeployment(manifest.name, args.manifest, [...releases.values()].map((r) => `${r.name}/${r.version}`));
      await applyPlan(opsFor(deps, signal), report, plan, manifest);
      return { dry_run: false, plan: lines };
    },
  };
}
