import type { Logger } from '../../core/index.js';
import type { AgentDirectory } from '../agent/index.js';
import type { CheckedCpi } from '../cpi/index.js';
import type { UpdateConfig } from '../manifest/index.js';
import type { InstanceWork, Ops, Step, UpdateUnit } from '../update/index.js';
import { throwIfAborted } from './taskQueue.js';
import type { TaskReport } from './report.js';
import type { DirectorStore } from './store.js';

/** What the task jobs share. */
export interface DirectorDeps {
  readonly store: DirectorStore;
  readonly cpi: CheckedCpi;
  readonly agents: AgentDirectory;
  readonly credentials: { issue(agentId: string): string };
  readonly logger: Logger;
  readonly network: string;
  readonly agentTimeoutMs: number;
  readonly vmEnv: Readonly<Record<string, unknown>>;
}

export function opsFor(deps: DirectorDeps, signal: AbortSignal): Ops {
  return { store: deps.store, cpi: deps.cpi, agents: deps.agents, credentials: deps.credentials, logger: deps.logger, signal, agentTimeoutMs: deps.agentTimeoutMs, vmEnv: deps.vmEnv };
}

/** Wraps an instance's steps as an update unit whose run is one started/finished/failed pair in the log. */
export function unit(ops: Ops, report: TaskReport, stage: string, work: Omit<InstanceWork, 'watch'>, steps: readonly Step[], pos: { index: number; total: number }): UpdateUnit {
  const name = `${work.group}/${work.index}`;
  return {
    name,
    run: (watch, canary) =>
      report.step(
        stage,
        `${name}${canary ? ' (canary)' : ''}`,
        async () => {
          for (const s of steps) {
            throwIfAborted(ops.signal);
            await s.perform(ops, { ...work, watch });
          }
        },
        { ...pos, tags: [work.group, ...(canary ? ['canary'] : []), ...(work.reason !== null ? [`reason: ${work.reason}`] : [])] },
      ),
  };
}

/** Used when there is no manifest to say otherwise (e.g. healing one instance). */
export const defaultUpdate: UpdateConfig = {
  canaries: 1,
  max_in_flight: 1,
  canary_watch_time: { minMs: 1000, maxMs: 60_000 },
  update_watch_time: { minMs: 1000, maxMs: 60_000 },
  serial: true,
};
