import { VigilError } from '../../core/index.js';
import { TOO_MANY_SAMPLES } from '../../storage/index.js';

/**
 * The samples one query may hold, counted across the whole query (Prometheus'
 * --query.max-samples): every sample read from the store and every point a subquery
 * materialises are charged to one budget, so a query over many selectors or a wide subquery
 * fails the same way as one huge selector. Series are budgeted the same way when a series limit
 * is set (Cortex's max_fetched_series_per_query): every selector's series count against it.
 */
export class SampleBudget {
  private used = 0;

  private seriesUsed = 0;

  constructor(
    readonly limit: number,
    /** Which limit it is (e.g. the tenant's), appended to the error so that users know what to raise. */
    private readonly limitName: string | undefined,
    /** Most series the query's selectors may read together, and that limit's name. */
    readonly seriesLimit: number = Infinity,
    private readonly seriesLimitName: string | undefined = undefined,
  ) {}

  /** Series the selectors still to run may read: the store fails a read that would go over. */
  get seriesRemaining(): number {
    return Math.max(0, this.seriesLimit - this.seriesUsed);
  }

  chargeSeries(n: number): void {
    this.seriesUsed += n;
    if (this.seriesUsed > this.seriesLimit) throw this.seriesExceeded();
  }

  seriesExceeded(): VigilError {
    const name = this.seriesLimitName === undefined ? '' : ` (${this.seriesLimitName})`;
    return new VigilError('execution', `the query hit the max number of series limit (limit: ${this.seriesLimit} series)${name}`);
  }

  /** What is left: the store stops reading as soon as it would go over. */
  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  charge(n: number): void {
    this.used += n;
    if (this.used > this.limit) throw this.exceeded();
  }

  /** A result must fit the limit on its own too (it is in memory at once when serialised). */
  checkResult(points: number): void {
    if (points > this.limit) throw this.exceeded();
  }

  exceeded(): VigilError {
    // Prometheus' message, word for word, then which limit it was when the caller named one.
    const name = this.limitName === undefined ? '' : ` (${this.limitName})`;
    return new VigilError('execution', `${TOO_MANY_SAMPLES}${name}`);
  }
}
