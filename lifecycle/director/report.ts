import type { DirectorStore } from './store.js';
import type { TaskEvent } from './types.js';

/**
 * A task's event log writer, BOSH-style: stages, each with numbered sub-tasks that start and then finish or
 * fail. Everything goes straight to the store, so `vigil task ID` can follow a running task.
 */
export class TaskReport {
  constructor(
    private readonly store: DirectorStore,
    readonly taskId: number,
  ) {}

  info(stage: string, message: string, tags: readonly string[] = []): TaskEvent {
    return this.store.addEvent(this.taskId, { stage, task: '', index: 0, total: 0, state: 'info', tags, message });
  }

  /** Runs `fn` as sub-task `index`/`total` of `stage`, logging started/finished/failed around it. */
  async step<T>(stage: string, task: string, fn: () => Promise<T>, opts: { index?: number; total?: number; tags?: readonly string[] } = {}): Promise<T> {
    const base = { stage, task, index: opts.index ?? 1, total: opts.total ?? 1, tags: opts.tags ?? [] };
    this.store.addEvent(this.taskId, { ...base, state: 'started', message: null });
    try {
      const out = await fn();
      this.store.addEvent(this.taskId, { ...base, state: 'finished', message: null });
      return out;
    } catch (err) {
      this.store.addEvent(this.taskId, { ...base, state: 'failed', message: (err as Error).message });
      throw err;
    }
  }
}
