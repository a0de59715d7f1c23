/**
 * Relabeling cases from Prometheus' documented semantics (docs/configuration/configuration.md,
 * <relabel_config>) and its relabel_test.go: the input labels, the rules as YAML would give them,
 * and the labels that come out (undefined: the label set was dropped). hashmod figures were
 * computed apart with Python's hashlib (last 8 bytes of the MD5, big-endian, modulo).
 */
export interface RelabelCase {
  readonly name: string;
  readonly input: Record<string, string>;
  readonly rules: readonly Record<string, unknown>[];
  readonly output: Record<string, string> | undefined;
}

export const relabelCases: readonly RelabelCase[] = [
  { name: 'replace with the defaults copies a label', input: { a: 'foo' }, rules: [{ source_labels: ['a'], target_label: 'b' }], output: { a: 'foo', b: 'foo' } },
  {
    name: 'replace joins source labels with the separator and uses groups',
    input: { a: 'foo', b: 'bar' },
    rules: [{ source_labels: ['a', 'b'], regex: '(.*);(.*)', target_label: 'c', replacement: '$2-$1' }],
    output: { a: 'foo', b: 'bar', c: 'bar-foo' },
  },
  { name: 'replace with a custom separator', input: { a: 'x', b: 'y' }, rules: [{ source_labels: ['a', 'b'], separator: '/', target_label: 'c' }], output: { a: 'x', b: 'y', c: 'x/y' } },
  { name: 'replace without a match changes nothing', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'bar', target_label: 'b', replacement: 'x' }], output: { a: 'foo' } },
  { name: 'the regex is anchored at both ends', input: { a: 'foobar' }, rules: [{ source_labels: ['a'], regex: 'foo', target_label: 'b', replacement: 'x' }], output: { a: 'foobar' } },
  { name: 'replace to an empty value removes the target label', input: { a: 'foo', b: 'old' }, rules: [{ source_labels: ['c'], target_label: 'b' }], output: { a: 'foo' } },
  { name: '$1x is the (missing) group "1x": empty, so the label goes', input: { a: 'foo', b: 'old' }, rules: [{ source_labels: ['a'], target_label: 'b', replacement: '$1x' }], output: { a: 'foo' } },
  { name: '${1}x is group 1 then "x"', input: { a: 'foo' }, rules: [{ source_labels: ['a'], target_label: 'b', replacement: '${1}x' }], output: { a: 'foo', b: 'foox' } },
  { name: '$$ is a literal dollar', input: { a: 'foo' }, rules: [{ source_labels: ['a'], target_label: 'b', replacement: 'cost $$1' }], output: { a: 'foo', b: 'cost $1' } },
  {
    name: 'named groups in the replacement',
    input: { __address__: '10.0.0.1:9100' },
    rules: [{ source_labels: ['__address__'], regex: '(?P<host>[^:]+):(?P<port>\\d+)', target_label: 'host', replacement: '${host}' }],
    output: { __address__: '10.0.0.1:9100', host: '10.0.0.1' },
  },
  { name: 'a target label from a group', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: '(.*)', target_label: '$1', replacement: 'bar' }], output: { a: 'foo', foo: 'bar' } },
  { name: 'a target label that expands to an invalid name is not set', input: { a: '1abc' }, rules: [{ source_labels: ['a'], target_label: '$1', replacement: 'bar' }], output: { a: '1abc' } },
  { name: 'a static replacement without source labels', input: { a: 'foo' }, rules: [{ target_label: 'env', replacement: 'prod' }], output: { a: 'foo', env: 'prod' } },
  { name: 'keep when the regex matches', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'f.*', action: 'keep' }], output: { a: 'foo' } },
  { name: 'keep drops when it does not', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'b.*', action: 'keep' }], output: undefined },
  { name: 'keep on a missing label sees ""', input: { a: 'foo' }, rules: [{ source_labels: ['missing'], regex: '.+', action: 'keep' }], output: undefined },
  { name: 'drop when the regex matches', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'foo|bar', action: 'drop' }], output: undefined },
  { name: 'drop keeps when it does not', input: { a: 'foobar' }, rules: [{ source_labels: ['a'], regex: 'foo|bar', action: 'drop' }], output: { a: 'foobar' } },
  { name: '(?i) makes a regex case-insensitive', input: { a: 'FOO' }, rules: [{ source_labels: ['a'], regex: '(?i)foo', action: 'drop' }], output: undefined },
  { name: '. does not match a newline', input: { a: 'x\ny' }, rules: [{ source_labels: ['a'], regex: '.*', action: 'keep' }], output: undefined },
  { name: 'action names are case-insensitive', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'foo', action: 'Drop' }], output: undefined },
  { name: 'keepequal keeps equal values', input: { a: 'x', b: 'x' }, rules: [{ source_labels: ['a'], target_label: 'b', action: 'keepequal' }], output: { a: 'x', b: 'x' } },
  { name: 'keepequal drops different values', input: { a: 'x', b: 'y' }, rules: [{ source_labels: ['a'], target_label: 'b', action: 'keepequal' }], output: undefined },
  { name: 'dropequal drops equal values', input: { a: 'x', b: 'x' }, rules: [{ source_labels: ['a'], target_label: 'b', action: 'dropequal' }], output: undefined },
  { name: 'dropequal keeps different values', input: { a: 'x', b: 'y' }, rules: [{ source_labels: ['a'], target_label: 'b', action: 'dropequal' }], output: { a: 'x', b: 'y' } },
  { name: 'hashmod: foo mod 10', input: { a: 'foo' }, rules: [{ source_labels: ['a'], target_label: 'shard', modulus: 10, action: 'hashmod' }], output: { a: 'foo', shard: '6' } },
  { name: 'hashmod of an address mod 4', input: { __address__: '10.0.0.1:9100' }, rules: [{ source_labels: ['__address__'], target_label: '__tmp_hash', modulus: 4, action: 'hashmod' }], output: { __address__: '10.0.0.1:9100', __tmp_hash: '1' } },
  { name: 'hashmod over joined labels', input: { a: 'a', b: 'b' }, rules: [{ source_labels: ['a', 'b'], target_label: 'h', modulus: 1000, action: 'hashmod' }], output: { a: 'a', b: 'b', h: '74' } },
  {
    name: 'hashmod then keep: sharding targets',
    input: { a: 'foo' },
    rules: [
      { source_labels: ['a'], target_label: '__tmp_hash', modulus: 10, action: 'hashmod' },
      { source_labels: ['__tmp_hash'], regex: '6', action: 'keep' },
    ],
    output: { a: 'foo', __tmp_hash: '6' },
  },
  {
    name: 'labelmap copies matching labels under new names',
    input: { __meta_kubernetes_pod_label_app: 'web', __meta_kubernetes_pod_label_tier: 'front', other: 'x' },
    rules: [{ regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' }],
    output: { __meta_kubernetes_pod_label_app: 'web', __meta_kubernetes_pod_label_tier: 'front', other: 'x', app: 'web', tier: 'front' },
  },
  { name: 'labelmap with a replacement template', input: { foo: '1', bar: '2' }, rules: [{ regex: '(f.*)', replacement: 'x_$1', action: 'labelmap' }], output: { foo: '1', bar: '2', x_foo: '1' } },
  { name: 'labeldrop removes matching names', input: { __name__: 'm', tmp_a: '1', tmp_b: '2', keep: '3' }, rules: [{ regex: 'tmp_.*', action: 'labeldrop' }], output: { __name__: 'm', keep: '3' } },
  { name: 'labelkeep removes the others', input: { __name__: 'm', job: 'j', noise: '1' }, rules: [{ regex: '__name__|job', action: 'labelkeep' }], output: { __name__: 'm', job: 'j' } },
  { name: 'lowercase', input: { a: 'FoO' }, rules: [{ source_labels: ['a'], target_label: 'b', action: 'lowercase' }], output: { a: 'FoO', b: 'foo' } },
  { name: 'uppercase over joined labels', input: { a: 'x', b: 'y' }, rules: [{ source_labels: ['a', 'b'], target_label: 'c', action: 'uppercase' }], output: { a: 'x', b: 'y', c: 'X;Y' } },
  {
    name: 'rules apply in order, each on the result of the last',
    input: { __name__: 'http_requests_total', code: '500' },
    rules: [
      { source_labels: ['code'], regex: '(\\d)\\d\\d', target_label: 'class', replacement: '${1}xx' },
      { source_labels: ['class'], regex: '5xx', action: 'keep' },
      { regex: 'code', action: 'labeldrop' },
    ],
    output: { __name__: 'http_requests_total', class: '5xx' },
  },
  {
    name: 'metric relabeling drops a metric by name',
    input: { __name__: 'go_gc_duration_seconds', quantile: '0.5' },
    rules: [{ source_labels: ['__name__'], regex: 'go_.*', action: 'drop' }],
    output: undefined,
  },
];

/** Rules Prometheus refuses when it loads the configuration, and a part of its message. */
export const invalidRuleCases: readonly { name: string; rule: Record<string, unknown>; message: string }[] = [
  { name: 'hashmod without modulus', rule: { source_labels: ['a'], target_label: 'b', action: 'hashmod' }, message: 'relabel configuration for hashmod requires non-zero modulus' },
  { name: 'replace without target_label', rule: { source_labels: ['a'], action: 'replace' }, message: "relabel configuration for replace action requires 'target_label' value" },
  { name: 'an invalid target_label', rule: { source_labels: ['a'], target_label: '1bad', action: 'replace' }, message: "\"1bad\" is invalid 'target_label' for replace action" },
  { name: 'lowercase with a replacement', rule: { source_labels: ['a'], target_label: 'b', replacement: 'x', action: 'lowercase' }, message: "'replacement' can not be set for lowercase action" },
  { name: 'labeldrop with source_labels', rule: { source_labels: ['a'], regex: 'x', action: 'labeldrop' }, message: "labeldrop action requires only 'regex', and no other fields" },
  { name: 'keepequal with a regex', rule: { source_labels: ['a'], target_label: 'b', regex: 'x', action: 'keepequal' }, message: "keepequal action requires only 'source_labels' and `target_label`, and no other fields" },
  { name: 'an invalid labelmap replacement', rule: { regex: '(.*)', replacement: '-$1', action: 'labelmap' }, message: "\"-$1\" is invalid 'replacement' for labelmap action" },
  { name: 'an unknown action', rule: { source_labels: ['a'], action: 'rename' }, message: 'action' },
  { name: 'an unknown field', rule: { source_labels: ['a'], target_label: 'b', targetLabel: 'c' }, message: 'targetLabel' },
];
