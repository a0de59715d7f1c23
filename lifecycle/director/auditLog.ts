import type { Database as Db } from 'better-sqlite3';
import type { TaskState } from './types.js';

/** Who did something: a credential (principal id and name), 'anonymous' when auth is off, or the director itself. */
export interface Actor {
  readonly id: string;
  readonly name: string;
}

export const anonymous: Actor = { id: 'anonymous', name: 'anonymous' };
export const resurrectorActor: Actor = { id: 'resurrector', name: 'resurrector' };

/** 'accepted': the action was taken (a task queued or done at once); 'refused': it was not, see `error`. */
export type AuditResult = 'accepted' | 'refused';

export interface AuditInput {
  readonly actor: Actor;
  /** e.g. upload_release, deploy, delete_deployment, recreate, heal, cck_resolve, cancel_task, resurrect. */
  readonly action: string;
  /** What it acted on, e.g. "deployment etcd", "release etcd/1", "task 12". */
  readonly target: string;
  readonly result: AuditResult;
  readonly taskId?: number | null;
  readonly error?: string | null;
  /** Extra context such as a heal's reason. */
  readonly detail?: string | null;
}

export interface AuditEntry extends Required<AuditInput> {
  readonly id: number;
  readonly at: number;
  /** The task's state now (its final state once it ended); null without a task. */
  readonly taskState: TaskState | null;
}

export const auditSchema = `
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, task_id INTEGER, error TEXT, detail TEXT);
`;

/** Longest error or detail text kept per entry: the log records what happened, not whole inputs. */
const MAX_TEXT = 1000;
const cut = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/** Append-only audit entries in the director's database; the task's state is joined in when read. */
export class AuditLog {
  constructor(private readonly db: Db) {}

  add(e: AuditInput): number {
    const r = this.db
      .prepare('INSERT INTO audit (at, actor_id, actor_name, action, target, result, task_id, error, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(Date.now(), e.actor.id, e.actor.name, e.action, e.target, e.result, e.taskId ?? null, cut(e.error), cut(e.detail));
    return Number(r.lastInsertRowid);
  }

  /** Newest first; `before` (an entry id, exclusive) pages back. */
  list(q: { limit: number; before?: number }): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT a.*, t.state AS task_state FROM audit a LEFT JOIN tasks t ON t.id = a.task_id
         WHERE (? IS NULL OR a.id < ?) ORDER BY a.id DESC LIMIT ?`,
      )
      .all(q.before ?? null, q.before ?? null, q.limit) as {
      id: number;
      at: number;
      actor_id: string;
      actor_name: string;
      action: string;
      target: string;
      result: string;
      task_id: number | null;
      error: string | null;
      detail: string | null;
      task_state: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { id: r.actor_id, name: r.actor_name },
      action: r.action,
      target: r.target,
      result: r.result as AuditResult,
      taskId: r.task_id,
      error: r.error,
      detail: r.detail,
      taskState: r.task_state as TaskState | null,
    }));
  }
}
