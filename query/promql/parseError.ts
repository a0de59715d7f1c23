import { VigilError } from '../../core/index.js';

/**
 * A syntax error in a PromQL expression. `position` is the 0-based offset of the offending
 * character; the message counts characters from 1, as editors do: `parse error at char 5: …`.
 */
export class ParseError extends VigilError {
  readonly position: number;
  readonly reason: string;

  constructor(position: number, reason: string) {
    super('bad_data', `parse error at char ${position + 1}: ${reason}`);
    this.name = 'ParseError';
    this.position = position;
    this.reason = reason;
  }
}

export function isParseError(err: unknown): err is ParseError {
  return err instanceof ParseError;
}
