import { opsFor, unit } from '../deps.js';
import type { DirectorDeps } from '../deps.js';
import { scanProblems, stepsForResolution } from '../cloudCheck.js';
import type { TaskContext, TaskHandler } from '../taskQueue.js';

export interface CckArgs {
  readonly deployment: string;
  /** problem id → resolution name; problems not named get their default when `auto`. */
  readonly resolutions: Readonly<Record<string, string>>;
  readonly auto: boolean;
}

/** Scans again (the world may have moved since the operator looked) and applies the chosen resolutions. */
export function cckJob(deps: DirectorDeps): TaskHandler {
  return {
    resumable: false,
    async run({ task, report, signal }: TaskContext) {
      const a = task.args as CckArgs;
      const problems = await report.step('Scanning', 'Looking for problems', () => scanProblems(deps, a.deployment));
      const ops = opsFor(deps, signal);
      const applied: { problem: string; resolution: string }[] = [];
      let k = 0;
      for (const p of problems) {
        const resolution = a.resolutions[p.id] ?? a.resolutions[p.type] ?? (a.auto ? p.resolutions[0] : undefined);
        if (resolution === undefined) {
          report.info('Resolving problems', `${p.id}: no resolution chosen, skipped`);
          continue;
        }
        const [group, idx] = p.instance.split('/');
        await unit(ops, report, 'Resolving problems', { deployment: a.deployment, group: group ?? '', index: Number(idx), desired: null, reason: `${p.type}: ${resolution}` }, stepsForResolution(p.type, resolution), {
          index: ++k,
          total: problems.length,
        }).run({ minMs: 0, maxMs: 120_000 }, false);
        applied.push({ problem: p.id, resolution });
      }
      return { problems, applied };
    },
  };
}
