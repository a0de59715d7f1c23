interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  /** How long the first request of a round waits for others before the flush starts (0 = next tick). */
  readonly windowMs: number;
  /** Makes everything written before the call durable. Never runs concurrently with itself. */
  readonly flush: () => Promise<void>;
  /** Told how many requests one flush covered. */
  readonly onRound?: (requests: number) => void;
}

/**
 * Group commit: callers that wrote data call `request()` and wait for one flush to cover them.
 * Requests arriving within `windowMs` of the first, or while a flush is in flight, share the
 * next flush, so N concurrent sends cost far fewer than N fsyncs. Flushes never overlap; a
 * round that gathered requests during a flush starts right after it, without another window
 * (those requests have already waited).
 */
export class GroupCommitScheduler {
  private waiting: Waiter[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: GroupCommitOptions) {}

  /** Resolves once a flush that started after this call has completed; rejects if it failed. */
  request(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.schedule(this.options.windowMs);
    });
  }

  /** Resolves when no request is pending and no flush is in flight. */
  async drain(): Promise<void> {
    while (this.inFlight !== undefined || this.waiting.length > 0) {
      if (this.inFlight === undefined) this.startNow();
      await this.inFlight?.catch(() => undefined);
    }
  }

  private schedule(delayMs: number): void {
    if (this.inFlight !== undefined || this.timer !== undefined) return;
    // Not unref'ed: callers are waiting for their data to become durable; the process must
    // not exit in between. The timer lives at most `windowMs`.
    this.timer = setTimeout(() => this.startNow(), delayMs);
  }

  private startNow(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight !== undefined || this.waiting.length === 0) return;
    const round = this.waiting;
    this.waiting = [];
    this.options.onRound?.(round.length);
    this.inFlight = this.options.flush().then(
      () => {
        for (const w of round) w.resolve();
      },
      (err: unknown) => {
        for (const w of round) w.reject(err);
      },
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      if (this.waiting.length > 0) this.startNow();
    });
  }
}
