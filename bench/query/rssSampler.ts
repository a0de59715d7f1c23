/*
 * Peak RSS of a process during one query. A worker thread reads /proc/<pid>/statm every 2 ms:
 * a timer on the main thread would not fire while the engine holds the event loop, which is
 * exactly when memory peaks. The same sampler watches this process (the in-process engine) and
 * the servers (Vigil's and Prometheus' child processes), so all figures are taken alike.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const PAGE_BYTES = 4096;

/** Resident bytes of `pid` now. */
export function rssBytes(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
  return Number(fields[1]) * PAGE_BYTES;
}

// Plain JS for the worker (eval: true), so it runs the same under tsx and from a build.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const shared = new Float64Array(workerData);
setInterval(() => {
  const pid = shared[0];
  if (pid <= 0) return;
  try {
    const rss = Number(readFileSync('/proc/' + pid + '/statm', 'utf8').split(' ')[1]) * ${PAGE_BYTES};
    if (rss > shared[1]) shared[1] = rss;
  } catch { /* the process is gone */ }
}, 2);
`;

export class RssSampler {
  /** [pid being watched (0: none), peak RSS in bytes since start()] */
  private readonly shared = new Float64Array(new SharedArrayBuffer(16));
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.shared.buffer });

  /** Starts watching `pid` from its current RSS, which is returned (the baseline). */
  start(pid: number): number {
    const now = rssBytes(pid);
    this.shared[1] = now;
    this.shared[0] = pid;
    return now;
  }

  /** Stops watching; the peak RSS seen since start(). */
  stop(pid: number): number {
    // One last reading: a query shorter than the sampling period still counts its end state.
    const last = rssBytes(pid);
    this.shared[0] = 0;
    return Math.max(this.shared[1] as number, last);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
