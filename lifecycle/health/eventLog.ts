import type { Logger } from '../../core/index.js';
import type { HealthEvent, HealthPlugin } from './events.js';

/** Keeps the last events for the API (and the alerting engine, later) and writes them to the log. */
export class EventLogPlugin implements HealthPlugin {
  readonly name = 'event_log';
  private readonly events: HealthEvent[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly keep = 500,
  ) {}

  processEvent(e: HealthEvent): void {
    this.events.push(e);
    if (this.events.length > this.keep) this.events.splice(0, this.events.length - this.keep);
    this.logger.info({ deployment: e.deployment, instance: e.instance, problem: e.problem }, `health: ${e.kind}: ${e.message}`);
  }

  recent(deployment?: string): HealthEvent[] {
    return this.events.filter((e) => deployment === undefined || e.deployment === deployment);
  }
}
