import { quote } from '../../core/index.js';

/**
 * A syntax or limit error in exposition text: which line (1-based) and what was wrong, with the
 * offending text quoted and cut, so an operator can find it in the exporter's output.
 */
export class ExpositionError extends Error {
  readonly line: number;

  constructor(line: number, problem: string, near?: string) {
    super(near === undefined ? `line ${line}: ${problem}` : `line ${line}: ${problem} near ${quote(near, 80)}`);
    this.name = 'ExpositionError';
    this.line = line;
  }
}
