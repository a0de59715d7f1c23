interface Waiter {
  readonly target: bigint;
  readonly settle: (reached: boolean) => void;
}

/**
 * Consumers parked until a partition's durable end reaches their target offset. `advance`
 * wakes them as soon as an fsync completes, so delivery needs no polling.
 */
export class DurableWaiters {
  private waiters: Waiter[] = [];

  wait(target: bigint, signal: AbortSignal, timeoutMs?: number): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => waiter.settle(false);
      const waiter: Waiter = {
        target,
        settle: (reached) => {
          if (timer !== undefined) clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(reached);
        },
      };
      this.waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        // Not unref'ed: this timer only runs while a batch is being gathered, which is work
        // the process must finish.
        timer = setTimeout(() => waiter.settle(false), timeoutMs);
      }
    });
  }

  advance(durableEnd: bigint): void {
    for (const w of this.waiters.filter((x) => x.target <= durableEnd)) w.settle(true);
  }

  closeAll(): void {
    for (const w of [...this.waiters]) w.settle(false);
  }
}
