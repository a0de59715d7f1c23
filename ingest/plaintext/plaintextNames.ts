import { promLabelName } from '../otlp/promNames.js';

const nameCache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/**
 * A Graphite path or Wavefront metric name as a Prometheus metric name, as graphite_exporter
 * does without a mapping: characters outside [a-zA-Z0-9_:] become `_` (so `servers.web1.cpu`
 * is `servers_web1_cpu`), runs of `_` collapse, a leading digit gets a `_`.
 */
export function plaintextMetricName(name: string): string {
  let out = nameCache.get(name);
  if (out !== undefined) return out;
  out = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_{2,}/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  if (nameCache.size >= CACHE_LIMIT) nameCache.clear();
  nameCache.set(name, out);
  return out;
}

/** A tag name as a label name (see promLabelName: nothing can pose as `__name__`). */
export function plaintextLabelName(tag: string): string {
  return promLabelName(tag);
}
