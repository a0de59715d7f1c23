import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { VigilError } from '../../core/index.js';

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

  async use<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      return await work(conn);
    } finally {
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

  private async acquire(): Promise<DuckDBConnection> {
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
    return new Promise((resolve, reject) =>
      this.waiting.push({
        resolve,
        reject: (e) => {
          this.busy--;
          reject(e);
        },
      }),
    );
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
