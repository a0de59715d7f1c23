import { describe, expect, it } from 'vitest';
import { AlertTemplate } from '../../alerting/index.js';
import type { QuerySample } from '../../alerting/index.js';

const data = { labels: { instance: 'host-1:9100', job: 'node' }, externalLabels: { cluster: 'eu1' }, externalURL: 'http://vigil.example:8470/prom', value: 1234567.891 };
const samples: QuerySample[] = [
  { Labels: { __name__: 'up', instance: 'b' }, Value: 0.25 },
  { Labels: { __name__: 'up', instance: 'a' }, Value: 1 },
];
const query = (expr: string): Promise<readonly QuerySample[]> => Promise.resolve(expr === 'up' ? samples : []);

/** Expected outputs are Prometheus 2.42's (Go text/template and template/template.go). */
const cases: readonly (readonly [string, string] | readonly [string, string, number])[] = [
  ['plain text', 'plain text'],
  ['{{ $labels.instance }} of {{ $labels.job }}', 'host-1:9100 of node'],
  ['{{ .Labels.job }}/{{ $labels.missing }}|', 'node/|'],
  ['{{ $externalLabels.cluster }} {{ $externalURL }}', 'eu1 http://vigil.example:8470/prom'],
  ['{{ $value }}', '1.234567891e+06'],
  ['{{ $value }}', '0.5', 0.5],
  ['{{ $value }}', '123456', 123456],
  ['{{ $value | humanize }}', '1.235M'],
  ['{{ humanize 0.00012 }}', '120u'],
  ['{{ humanize 0 }}', '0'],
  ['{{ humanize1024 1048576 }}', '1Mi'],
  ['{{ humanizeDuration 3725.5 }}', '1h 2m 5s'],
  ['{{ humanizeDuration 90061 }}', '1d 1h 1m 1s'],
  ['{{ humanizeDuration 1.2345 }}', '1.234s'],
  ['{{ humanizeDuration 0.0012 }}', '1.2ms'],
  ['{{ humanizePercentage 0.1234 }}', '12.34%'],
  ['{{ humanizeTimestamp 1435065584.128 }}', '2015-06-23 13:19:44.128 +0000 UTC'],
  ['{{ printf "%.2f" $value }}', '1234567.89'],
  ['{{ printf "%s is %d%%" "x" 5 }}', 'x is 5%'],
  ['{{ printf "%5.1f|%-4s|" 3.14159 "ab" }}', '  3.1|ab  |'],
  ['{{ $labels.job | toUpper }} {{ toLower "AbC" }} {{ title "hello world" }}', 'NODE abc Hello World'],
  ['{{ with query "up" }}{{ . | first | value }}{{ end }}', '0.25'],
  ['{{ with query "nothing" }}yes{{ else }}none{{ end }}', 'none'],
  ['{{ range query "up" }}{{ .Labels.instance }}={{ .Value }};{{ end }}', 'b=0.25;a=1;'],
  ['{{ range sortByLabel "instance" (query "up") }}{{ label "instance" . }} {{ end }}', 'a b '],
  ['{{ if gt $value 1000.0 }}big{{ else if gt $value 10.0 }}mid{{ else }}small{{ end }}', 'big'],
  ['{{ if gt $value 1000.0 }}big{{ else if gt $value 10.0 }}mid{{ else }}small{{ end }}', 'mid', 50],
  ['{{ if eq $labels.job "node" "x" }}yes{{ end }}', 'yes'],
  ['{{ $x := "a" }}{{ $x = "b" }}{{ $x }}', 'b'],
  ['a {{- " b " -}} c', 'a b c'],
  ['{{/* a comment */}}kept', 'kept'],
  ['{{ reReplaceAll "(.*):.*" "$1" $labels.instance }}', 'host-1'],
  ['{{ match "^host" $labels.instance }}', 'true'],
  ['{{ stripPort $labels.instance }} {{ pathPrefix }}', 'host-1 /prom'],
  ['{{ index $labels "job" }} {{ len $labels }}', 'node 2'],
  ['{{ range $k, $v := $labels }}{{ $k }}={{ $v }},{{ end }}', 'instance=host-1:9100,job=node,'],
  ['{{ parseDuration "1h30m" }}', '5400'],
  ['{{ and 1 0 }} {{ or 0 "x" }} {{ not true }}', '0 x false'],
  ['{{ humanize "abc" }}', '<error expanding template: template: t: error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax>'],
  ['{{ first (query "nothing") }}', '<error expanding template: template: t: error calling first: first() called on vector with no elements>'],
  ['{{ if }}', '<error expanding template: template: t: missing value for command>'],
  ['{{ nosuch 1 }}', '<error expanding template: template: t: function "nosuch" not defined>'],
  ['{{ if true }}open', '<error expanding template: template: t: unexpected EOF: {{if}} without {{end}}>'],
];

describe('alert templates (Go text/template subset with Prometheus functions)', () => {
  it.each(cases.map(([text, want, value]) => ({ text, want, value: value ?? data.value })))('$text', async ({ text, want, value }) => {
    const t = new AlertTemplate('t', text);
    expect(await t.expand({ ...data, value }, query)).toBe(want);
  });

  it('reports a syntax error once, at construction', () => {
    expect(new AlertTemplate('t', '{{ end }}').error).toBe('template: t: unexpected {{end}}');
    expect(new AlertTemplate('t', '{{ $labels.job }}').error).toBeUndefined();
  });
});
