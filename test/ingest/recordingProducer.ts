import type { BusPayload, BusRecord, Producer } from '../../ingest/index.js';
import { decodePayload } from '../../ingest/index.js';
import { VigilError } from '../../core/index.js';

/**
 * An in-memory Producer that keeps what was sent, decoded, so tests can assert exactly what the
 * pipeline published. `backpressure(ms)` makes the next sends fail as a lagging bus does.
 */
export class RecordingProducer implements Producer {
  readonly sent: { topic: string; key: string; payload: BusPayload }[] = [];
  private retryAfterMs: number | undefined;

  backpressure(retryAfterMs: number | undefined): void {
    this.retryAfterMs = retryAfterMs;
  }

  async send(topic: string, records: readonly BusRecord[]): Promise<void> {
    await Promise.resolve();
    if (this.retryAfterMs !== undefined) {
      throw new VigilError('too_many_requests', `topic ${topic} is ${this.retryAfterMs} ms behind`, { retryAfterMs: this.retryAfterMs });
    }
    for (const r of records) this.sent.push({ topic, key: r.key, payload: decodePayload(r.value) });
  }

  payloads<K extends BusPayload['kind']>(kind: K): Extract<BusPayload, { kind: K }>[] {
    return this.sent.map((s) => s.payload).filter((p): p is Extract<BusPayload, { kind: K }> => p.kind === kind);
  }
}
