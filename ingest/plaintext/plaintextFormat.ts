import type { TimeSeries } from '../../core/index.js';
import { parseGraphiteLine } from './graphiteLine.js';
import { parseWavefrontLine } from './wavefrontLine.js';

export type PlaintextFormat = 'graphite' | 'wavefront';

/** The line parser of each plaintext format: one line in, one series with one sample out, or a VigilError. */
export const plaintextParsers: Readonly<Record<PlaintextFormat, (line: string, nowMs: number) => TimeSeries>> = {
  graphite: parseGraphiteLine,
  wavefront: parseWavefrontLine,
};
