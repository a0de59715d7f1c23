import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * A few read connections shared by queriers. A DuckDB connection runs one statement at a time,
 * so each query borrows one; extra callers wait in line rather than opening ever more.
 */
export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiting: Array<(c: DuckDBConnection) => void> = [];
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

  /** Disconnects idle connections; callers still holding one finish first. */
  close(): void {
    this.closed = true;
    for (const c of this.all) c.disconnectSync();
    this.all.length = 0;
    this.idle.length = 0;
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('connection pool is closed');
    const conn = this.idle.pop();
    if (conn !== undefined) return conn;
    if (this.all.length < this.size) {
      const fresh = await this.instance.connect();
      this.all.push(fresh);
      return fresh;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(conn: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(conn);
    else this.idle.push(conn);
  }
}
