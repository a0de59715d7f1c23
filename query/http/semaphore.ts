/** Gives a permit back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  readonly grant: (release: Release) => void;
  readonly fail: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * At most `permits` holders at once, and at most `maxQueue` callers waiting, served in arrival
 * order. A full queue is answered at once (acquire returns undefined), so the caller can refuse
 * the work instead of piling it up; a waiter whose signal aborts leaves the queue and its promise
 * rejects with the signal's reason. `permits` 0 means unlimited.
 */
export class Semaphore {
  private held = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    readonly permits: number,
    readonly maxQueue: number,
  ) {}

  get running(): number {
    return this.held;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** A permit (now or once one is free), or undefined when every permit is held and the queue is full. */
  acquire(signal?: AbortSignal): Promise<Release> | undefined {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    if (this.permits === 0 || this.held < this.permits) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxQueue) return undefined;
    return new Promise<Release>((grant, fail) => {
      const waiter: Waiter = {
        grant,
        fail,
        signal,
        onAbort: () => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          fail(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next === undefined) {
        this.held--;
        return;
      }
      // The permit passes straight to the next waiter: `held` stays the same.
      next.signal?.removeEventListener('abort', next.onAbort);
      next.grant(this.releaser());
    };
  }
}
