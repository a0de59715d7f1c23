import type { Limits } from '../../core/index.js';
import type { ExpositionLimits } from './parseExposition.js';

/** The parser's bounds from the ingestion limits: a line can be no longer than a request. */
export function expositionLimitsOf(limits: Limits): ExpositionLimits {
  return {
    maxLineLength: limits.maxRequestBytes,
    maxLabelsPerSeries: limits.maxLabelsPerSeries,
    maxLabelNameLength: limits.maxLabelNameLength,
    maxLabelValueLength: limits.maxLabelValueLength,
    maxSamples: 0,
  };
}
