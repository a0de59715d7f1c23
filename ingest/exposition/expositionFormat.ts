import type { ExpositionFormat } from './parseExposition.js';

/**
 * The Accept header Prometheus 2.42 scrapes with: OpenMetrics first, the text format as the
 * fallback every exporter speaks.
 */
export const SCRAPE_ACCEPT_HEADER = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/**
 * Which parser a Content-Type asks for: OpenMetrics for application/openmetrics-text, else the
 * text format (as Prometheus does, also for a missing or unknown type).
 */
export function expositionFormatOf(contentType: string | undefined): ExpositionFormat {
  if (contentType === undefined) return 'prometheus';
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/openmetrics-text' ? 'openmetrics' : 'prometheus';
}
