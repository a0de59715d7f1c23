import { describe, expect, it } from 'vitest';
import { parseLokiLabels } from '../../../ingest/index.js';

describe('parseLokiLabels (the selector text of a protobuf push)', () => {
  it.each([
    ['{job="varlogs"}', { job: 'varlogs' }],
    ['{job="varlogs", filename="/var/log/syslog"}', { job: 'varlogs', filename: '/var/log/syslog' }],
    [' { a = "1" ,b="2", } ', { a: '1', b: '2' }],
    ['{a="q\\"uote \\\\ \\n \\t \\u00fc \\x41"}', { a: 'q"uote \\ \n \t ü A' }],
    ["{a='single \\' q'}", { a: "single ' q" }],
    ['{a=`raw \\n`}', { a: 'raw \\n' }],
    ['{a=""}', { a: '' }],
  ])('%s', (text, labels) => {
    expect(parseLokiLabels(text, 'streams[0]')).toEqual(labels);
  });

  it.each([
    ['', /expected "\{"/],
    ['{}', /at least one label pair is required per stream/],
    ['{a}', /expected "=" after a/],
    ['{a=b}', /expected a quoted label value/],
    ['{a="b"', /expected "," or "\}"/],
    ['{a="b} ', /unterminated label value/],
    ['{a="b",a="c"}', /duplicate label name a/],
    ['{a="\\q"}', /invalid escape \\q/],
    ['{a="\\u12"}', /invalid escape/],
    ['{a="b"} x', /text after the closing/],
    ['{="b"}', /expected a label name/],
  ])('refuses %j', (text, message) => {
    expect(() => parseLokiLabels(text, 'streams[2]')).toThrow(message);
    expect(() => parseLokiLabels(text, 'streams[2]')).toThrow(/^streams\[2\]: error parsing labels/);
  });
});
