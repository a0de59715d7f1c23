import type { Limits } from '../../core/index.js';
import type { ExpositionLimits } from './parseExposition.js';

/**
 * The parser's bounds from the ingestion limits: a line can be no longer than a request, and a
 * request holds at most one sample per 32 bytes of the size limit (512k at 16 MiB; exporters
 * average 60-100 bytes a line), so a body of tiny lines cannot turn 16 MiB into millions of
 * objects.
 */
export function expositionLimitsOf(limits: Limits): ExpositionLimits {
  return {
    maxLineLength: limits.maxRequestBytes,
    maxLabelsPerSeries: limits.maxLabelsPerSeries,
    maxLabelNameLength: limits.maxLabelNameLength,
    maxLabelValueLength: limits.maxLabelValueLength,
    maxSamples: Math.max(1000, Math.floor(limits.maxRequestBytes / 32)),
  };
}
