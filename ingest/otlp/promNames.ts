/**
 * OpenTelemetry → Prometheus names, after the OpenTelemetry specification's "Prometheus and
 * OpenMetrics Compatibility": invalid characters become `_`, the UCUM unit becomes a suffix
 * (`s` → `_seconds`, `By` → `_bytes`, `1` → `_ratio` for gauges), monotonic cumulative sums end
 * in `_total`. Results are cached: a process sees few distinct names.
 */

export type PromMetricKind = 'gauge' | 'counter' | 'histogram' | 'summary';

const unitWords: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const perUnitWords: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** A unit's Prometheus word(s), e.g. `By/s` → `bytes_per_second`, `{packets}` → ``, `1` → `ratio` (gauges only). */
export function unitSuffix(unit: string, kind: PromMetricKind): string {
  // Curly-brace annotations ({packets}, {requests}) are comments in UCUM, not units.
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare.length === 0) return '';
  const slash = bare.indexOf('/');
  const main = slash < 0 ? bare : bare.slice(0, slash);
  const per = slash < 0 ? '' : bare.slice(slash + 1);
  let mainWord: string;
  if (main === '1') mainWord = kind === 'gauge' && per.length === 0 ? 'ratio' : '';
  else mainWord = unitWords[main] ?? main.replace(/[^a-zA-Z0-9]/g, '');
  const perWord = per.length === 0 ? '' : (perUnitWords[per] ?? per.replace(/[^a-zA-Z0-9]/g, ''));
  if (perWord.length === 0) return mainWord;
  return mainWord.length === 0 ? `per_${perWord}` : `${mainWord}_per_${perWord}`;
}

/** Replaces characters outside [a-zA-Z0-9_:] with `_` and collapses runs of `_`. */
function sanitizeMetricName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_{2,}/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

export interface PromMetricName {
  /** The series name (histograms and summaries add _bucket/_sum/_count to it). */
  readonly name: string;
  /** The unit word(s) appended, also the metadata's unit; empty when none. */
  readonly unit: string;
}

const metricNameCache = new Map<string, PromMetricName>();
const labelNameCache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/** The Prometheus name of an OTLP metric of the given kind and UCUM unit. */
export function promMetricName(otelName: string, unit: string, kind: PromMetricKind): PromMetricName {
  const key = `${kind}\u0000${otelName}\u0000${unit}`;
  const cached = metricNameCache.get(key);
  if (cached !== undefined) return cached;
  const suffix = unitSuffix(unit, kind);
  let name = sanitizeMetricName(otelName);
  if (kind === 'counter' && name.endsWith('_total')) name = name.slice(0, -'_total'.length);
  if (suffix.length > 0 && !name.endsWith(`_${suffix}`) && name !== suffix) name = `${name}_${suffix}`;
  if (kind === 'counter') name = `${name}_total`;
  name = name.replace(/_{2,}/g, '_');
  const result = { name, unit: suffix };
  if (metricNameCache.size >= CACHE_LIMIT) metricNameCache.clear();
  metricNameCache.set(key, result);
  return result;
}

/**
 * The Prometheus label name of an attribute key: invalid characters become `_`; a leading digit
 * gets a `key_` prefix and a leading `_` a `key` prefix, so that no attribute can pose as a
 * reserved label such as `__name__`. Empty keys give an empty name (the caller drops them).
 */
export function promLabelName(key: string): string {
  const cached = labelNameCache.get(key);
  if (cached !== undefined) return cached;
  let name = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(name)) name = `key_${name}`;
  else if (name.startsWith('_')) name = `key${name}`;
  if (labelNameCache.size >= CACHE_LIMIT) labelNameCache.clear();
  labelNameCache.set(key, name);
  return name;
}
