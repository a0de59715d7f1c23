import { formatSeries } from '../../core/index.js';
import type { QueryValue } from '../../query/index.js';
import { formatSampleValue } from '../../query/index.js';
import type { ExpectedSeries } from './promqlScript.js';
import { SCALAR, STRING_RESULT } from './promqlScript.js';

/** A result of Vigil's engine in the scripts' terms. */
export function engineSeries(value: QueryValue): ExpectedSeries[] {
  switch (value.resultType) {
    case 'vector':
      return value.result.map((e) => ({ series: formatSeries(e.labels), points: [[e.t, formatSampleValue(e.v)] as const] }));
    case 'matrix':
      return value.result.map((s) => ({ series: formatSeries(s.labels), points: s.points.map((p) => [p.t, formatSampleValue(p.v)] as const) }));
    case 'scalar':
      return [{ series: SCALAR, points: [[value.result.t, formatSampleValue(value.result.v)] as const] }];
    case 'string':
      return [{ series: STRING_RESULT, points: [[value.result.t, value.result.value] as const] }];
  }
}

/** The `data` of a Prometheus API answer, in the same terms; `drop` names a label the caller added and takes off again. */
export function prometheusSeries(data: PrometheusData, drop: string): ExpectedSeries[] {
  const labelsOf = (metric: Record<string, string>): string => {
    const { [drop]: _dropped, ...rest } = metric;
    return formatSeries(rest);
  };
  const point = ([t, v]: readonly [number, string]): readonly [number, string] => [Math.round(t * 1000), v];
  switch (data.resultType) {
    case 'vector':
      return data.result.map((e) => ({ series: labelsOf(e.metric), points: [point(e.value)] }));
    case 'matrix':
      return data.result.map((s) => ({ series: labelsOf(s.metric), points: s.values.map(point) }));
    case 'scalar':
      return [{ series: SCALAR, points: [point(data.result)] }];
    case 'string':
      return [{ series: STRING_RESULT, points: [point(data.result)] }];
  }
}

export type PrometheusData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] }
  | { resultType: 'scalar'; result: [number, string] }
  | { resultType: 'string'; result: [number, string] };
