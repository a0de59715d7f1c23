import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { VigilError } from '../../core/index.js';
import { abortError, throwIfAborted } from '../readErrors.js';

/**
 * A few read connections shared by queriers. A DuckDB connection runs one statement at a time,
 * so each query borrows one; extra callers wait in line rather than opening ever more.
 */
export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiting: Array<{ resolve: (c: DuckDBConnection) => void; reject: (e: Error) => void }> = [];
  private busy = 0;
  private drained: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly size: number,
  ) {}

  /**
   * Runs `work` on a borrowed connection. When `signal` aborts, a caller still waiting leaves
   * the line, and running work has its statement interrupted (DuckDB stops within milliseconds
   * and the connection is usable again); either way the call rejects with abortError(signal),
   * never with what the interrupted work returned (an interrupted stream just ends early).
   *
   * DuckDB notices an interrupt between task slices (about 50 chunks of 2048 rows per thread):
   * within milliseconds for ordinary scans, but a regex that costs RE2 ~40 µs per value (its DFA
   * gives up, e.g. `(?:.*[ab].{0,20}){3}zz` on 72-byte values) was measured to stop only ~1.6 s
   * after the interrupt.
   */
  async use<T>(work: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    const conn = await this.acquire(signal);
    // Interrupting only while this caller holds the connection: once released it may run someone else's statement.
    const interrupt = (): void => conn.interrupt();
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      throwIfAborted(signal); // aborted while the connection was being handed over
      const result = await work(conn);
      throwIfAborted(signal);
      return result;
    } catch (err) {
      throwIfAborted(signal);
      throw err;
    } finally {
      signal?.removeEventListener('abort', interrupt);
      this.release(conn);
    }
  }

  /** Refuses new work, lets borrowed connections finish, then disconnects them all; idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(closedError());
    if (this.busy > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    for (const c of this.all) c.disconnectSync();
    this.all.length = 0;
    this.idle.length = 0;
  }

  private async acquire(signal: AbortSignal | undefined): Promise<DuckDBConnection> {
    if (this.closed) throw closedError();
    this.busy++;
    const conn = this.idle.pop();
    if (conn !== undefined) return conn;
    if (this.all.length < this.size) {
      try {
        const fresh = await this.instance.connect();
        this.all.push(fresh);
        return fresh;
      } catch (err) {
        this.busy--;
        throw err;
      }
    }
    return new Promise((resolve, reject) => {
      const leave = (): void => {
        const i = this.waiting.indexOf(waiter);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        waiter.reject(abortError(signal as AbortSignal));
      };
      const waiter = {
        resolve: (c: DuckDBConnection) => {
          signal?.removeEventListener('abort', leave);
          resolve(c);
        },
        reject: (e: Error) => {
          signal?.removeEventListener('abort', leave);
          this.busy--;
          reject(e);
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }

  private release(conn: DuckDBConnection): void {
    this.busy--;
    const next = this.waiting.shift();
    if (next !== undefined) next.resolve(conn);
    else this.idle.push(conn);
    if (this.busy === 0) this.drained?.();
  }
}

function closedError(): VigilError {
  return new VigilError('unavailable', 'store is closing');
}
