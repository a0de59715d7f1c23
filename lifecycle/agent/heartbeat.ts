import type { Logger } from '../../core/index.js';
import type { AgentState } from './protocol.js';

/**
 * Sends the agent's state to the director every `intervalMs`. One beat at a time: a slow director delays
 * the next beat instead of piling requests up. Never rejects.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private refused = false;

  constructor(
    private readonly url: string,
    private readonly state: () => AgentState,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** The VM's credential: the director refuses heartbeats without it. */
    private readonly secret: string,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.beat(), ms);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.secret}` },
        body: JSON.stringify(this.state()),
        signal: AbortSignal.timeout(2000),
      });
      await res.arrayBuffer();
      // Refused means the director does not know this VM's credential (any more): say so loudly, once.
      const refused = res.status === 401 || res.status === 403;
      if (refused && !this.refused) this.logger.warn({ status: res.status }, 'director refused the heartbeat credential');
      this.refused = refused;
    } catch (err) {
      this.logger.debug({ err: (err as Error).message }, 'heartbeat not delivered');
    }
    this.schedule(this.intervalMs);
  }

  shutdown(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
