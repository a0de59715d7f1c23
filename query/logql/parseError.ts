import { VigilError } from '../../core/index.js';

/**
 * A syntax error in a LogQL query: `position` is the 0-based offset of the offending character;
 * the message counts from 1, as Loki's "parse error at line 1, col 5" does.
 */
export class LogqlParseError extends VigilError {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super('bad_data', `parse error at line 1, col ${position + 1}: ${reason}`);
    this.name = 'LogqlParseError';
  }
}
