import type { Logger } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import { TaskReport } from './report.js';
import type { DirectorStore } from './store.js';
import type { TaskRecord } from './types.js';

export interface TaskContext {
  readonly task: TaskRecord;
  readonly report: TaskReport;
  /** Aborted when the director shuts down; handlers stop at the next step and the task stays resumable. */
  readonly signal: AbortSignal;
}

export interface TaskHandler {
  /** Whether a task interrupted by a director restart may run again from the start (it must be idempotent). */
  readonly resumable: boolean;
  run(ctx: TaskContext): Promise<unknown>;
}

/** Thrown by steps when the director is shutting down. */
export class ShutdownError extends Error {
  constructor() {
    super('director is shutting down');
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new ShutdownError();
}

/**
 * Runs tasks one per deployment at a time (the deployment lock) and up to `maxRunning` overall, oldest
 * first. On start it settles what a previous director left running: resumable tasks run again once,
 * the rest fail with a message saying why.
 */
export class TaskQueue {
  private readonly running = new Map<number, { deployment: string | null; done: Promise<void> }>();
  private readonly abort = new AbortController();
  private started = false;
  private stopping = false;

  constructor(
    private readonly store: DirectorStore,
    private readonly handlers: ReadonlyMap<string, TaskHandler>,
    private readonly logger: Logger,
    private readonly maxRunning = 4,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const t of this.store.tasks({ states: ['processing'], limit: 1000 })) {
      const report = new TaskReport(this.store, t.id);
      const handler = this.handlers.get(t.kind);
      if (handler?.resumable === true && t.resumes < 1) {
        report.info('Director restarted', 'the director restarted while this task ran; resuming it from a fresh plan of the actual state');
        this.store.requeueTask(t.id);
      } else {
        const why = 'the director restarted while this task was running; nothing more will happen in it — check the instances and run it again';
        report.info('Director restarted', why);
        this.store.finishTask(t.id, 'error', null, why);
      }
    }
    this.kick();
  }

  enqueue(kind: string, deployment: string | null, description: string, args: unknown): number {
    if (this.stopping) throw new VigilError('unavailable', 'the director is shutting down');
    if (!this.handlers.has(kind)) throw new VigilError('bad_data', `unknown task kind ${kind}`);
    const id = this.store.createTask(kind, deployment, description, args);
    this.kick();
    return id;
  }

  /** Whether a deployment has a queued or running task (the resurrector waits for it). */
  busy(deployment: string): boolean {
    return this.store.tasks({ states: ['queued', 'processing'], deployment, limit: 1 }).length > 0;
  }

  /** Cancels a queued task; a running one cannot be cancelled. */
  cancel(id: number): void {
    const t = this.store.task(id);
    if (t === null) throw new VigilError('not_found', `task ${id} does not exist`);
    if (t.state !== 'queued') throw new VigilError('conflict', `task ${id} is ${t.state}; only queued tasks can be cancelled`);
    this.store.finishTask(id, 'cancelled', null, 'cancelled');
  }

  private kick(): void {
    if (!this.started || this.stopping) return;
    const queued = this.store.tasks({ states: ['queued'], limit: 1000 }).reverse();
    const locked = new Set([...this.running.values()].map((r) => r.deployment).filter((d): d is string => d !== null));
    for (const t of queued) {
      if (this.running.size >= this.maxRunning) break;
      if (t.deployment !== null && locked.has(t.deployment)) continue;
      if (t.deployment !== null) locked.add(t.deployment);
      this.run(t);
    }
  }

  private run(t: TaskRecord): void {
    const handler = this.handlers.get(t.kind);
    this.store.startTask(t.id);
    const report = new TaskReport(this.store, t.id);
    const done = (async () => {
      try {
        if (handler === undefined) throw new Error(`unknown task kind ${t.kind}`);
        const result = await handler.run({ task: { ...t, state: 'processing' }, report, signal: this.abort.signal });
        this.store.finishTask(t.id, 'done', result, null);
      } catch (err) {
        if (err instanceof ShutdownError || this.abort.signal.aborted) {
          // Leave it 'processing': the next director resumes or fails it.
          this.logger.info({ task: t.id }, 'task interrupted by shutdown');
          return;
        }
        this.store.finishTask(t.id, 'error', null, (err as Error).message);
        this.logger.warn({ task: t.id, err: (err as Error).message }, 'task failed');
      } finally {
        this.running.delete(t.id);
        this.kick();
      }
    })();
    this.running.set(t.id, { deployment: t.deployment, done });
  }

  /** Stops taking tasks, interrupts running ones and waits for them to unwind. Idempotent. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
