import type { TaskEvent, TaskRecord } from '../director/index.js';
import type { DirectorClient } from './client.js';
import { eventLine } from './format.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Prints a task's events as they are written and returns 0 when it ends done, 1 otherwise. Polls: the
 * director keeps the log, so a CLI that reconnects (or a second terminal) sees the same story.
 */
export async function followTask(client: DirectorClient, id: number, io: Io, pollMs = 300): Promise<number> {
  let after = 0;
  io.out(`Task ${id}\n`);
  for (;;) {
    const task = await client.request<TaskRecord>('GET', `/tasks/${id}`);
    const events = await client.request<TaskEvent[]>('GET', `/tasks/${id}/events?after=${after}`);
    for (const e of events) {
      io.out(`${eventLine(e)}\n`);
      after = e.seq;
    }
    if (task.state === 'done' || task.state === 'error' || task.state === 'cancelled') {
      const rest = await client.request<TaskEvent[]>('GET', `/tasks/${id}/events?after=${after}`);
      for (const e of rest) io.out(`${eventLine(e)}\n`);
      if (task.state === 'done') {
        io.out(`\nTask ${id} done\n`);
        return 0;
      }
      io.err(`\nTask ${id} ${task.state}: ${task.error ?? ''}\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
