import type { Labels, PromErrorType } from '../../core/index.js';
import { sortLabels } from '../../core/index.js';
import { goSpecialFloat } from '../engine/index.js';
import type { MatrixSeries, Point, QueryValue, VectorElement } from '../engine/index.js';

/**
 * Prometheus' JSON, byte for byte where clients could notice: timestamps are seconds with
 * the millisecond fraction always written as three digits (1700000000.100, 1700000000),
 * values are strings in Go's shortest float form ("0.1", "1e-07", "+Inf", "-Inf", "NaN"),
 * label sets are objects with sorted keys, and <, >, & are escaped as Go's encoder does.
 */
export function formatTimestamp(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const seconds = Math.trunc(abs / 1000);
  const fraction = abs % 1000;
  return fraction === 0 ? `${sign}${seconds}` : `${sign}${seconds}.${String(fraction).padStart(3, '0')}`;
}

/** A sample value as Go's strconv.FormatFloat(v, 'f' or 'e' beyond 1e21 / below 1e-6, -1, 64). */
export function formatSampleValue(v: number): string {
  const special = goSpecialFloat(v);
  if (special !== undefined) return special;
  const s = String(v);
  // JS and Go switch to exponent notation at the same magnitudes; Go writes at least two exponent digits.
  const e = s.indexOf('e');
  if (e < 0) return s;
  const mantissa = s.slice(0, e);
  const expSign = s[e + 1] as string;
  const digits = s.slice(e + 2);
  return `${mantissa}e${expSign}${digits.padStart(2, '0')}`;
}

function pointJson(p: Point): string {
  return `[${formatTimestamp(p.t)},"${formatSampleValue(p.v)}"]`;
}

const jsonOfFrozen = new WeakMap<Labels, string>();

/**
 * A label set as a JSON object with sorted keys. Remembered for frozen label sets (the store
 * hands out one frozen object per series and keeps it across queries), so a dashboard that asks
 * for the same 10k series again serialises none of their labels.
 */
export function labelsJson(labels: Labels): string {
  if (!Object.isFrozen(labels)) return JSON.stringify(sortLabels(labels));
  let json = jsonOfFrozen.get(labels);
  if (json === undefined) {
    json = JSON.stringify(sortLabels(labels));
    jsonOfFrozen.set(labels, json);
  }
  return json;
}

function vectorElementJson(e: VectorElement): string {
  return `{"metric":${labelsJson(e.labels)},"value":${pointJson(e)}}`;
}

function matrixSeriesJson(s: MatrixSeries): string {
  return `{"metric":${labelsJson(s.labels)},"values":[${s.points.map(pointJson).join(',')}]}`;
}

/** The `data` object of /query and /query_range. */
export function queryDataJson(value: QueryValue): string {
  let result: string;
  switch (value.resultType) {
    case 'vector':
      result = `[${value.result.map(vectorElementJson).join(',')}]`;
      break;
    case 'matrix':
      result = `[${value.result.map(matrixSeriesJson).join(',')}]`;
      break;
    case 'scalar':
      result = pointJson(value.result);
      break;
    case 'string':
      result = `[${formatTimestamp(value.result.t)},${JSON.stringify(value.result.value)}]`;
      break;
  }
  return `{"resultType":"${value.resultType}","result":${result}}`;
}

/** The success envelope around already-serialised data. */
export function successJson(dataJson: string, warnings: readonly string[] = []): string {
  const w = warnings.length > 0 ? `,"warnings":${JSON.stringify(warnings)}` : '';
  return escapeHtml(`{"status":"success","data":${dataJson}${w}}`);
}

export function errorJson(errorType: PromErrorType, message: string): string {
  return escapeHtml(`{"status":"error","errorType":"${errorType}","error":${JSON.stringify(message)}}`);
}

// <, > and & can only occur inside JSON strings, so replacing them anywhere in the text is safe.
function escapeHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
