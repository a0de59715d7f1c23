import type { Labels } from '../../core/index.js';

/**
 * Loki's push request (logproto.PushRequest, or its JSON form) after decoding, before mapping:
 * what both wire formats have in common.
 */
export interface LokiEntry {
  readonly timeNs: bigint;
  readonly line: string;
  /** Structured metadata (Loki 3): name → value; empty when the entry has none. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface LokiStream {
  readonly labels: Labels;
  readonly entries: LokiEntry[];
}

export const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});
