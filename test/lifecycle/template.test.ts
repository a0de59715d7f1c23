import { describe, expect, it } from 'vitest';
import { loadReleaseDir, parseTemplate, renderJob, renderNodes } from '../../lifecycle/index.js';
import { resolveProperties } from '../../lifecycle/release/index.js';
import { etcdReleaseDir } from './support.js';

const scope = {
  spec: { name: 'etcd', index: 1, address: '127.0.0.3' },
  xs: [1, 2, 3],
  empty: [],
  p: (k: unknown, ...d: unknown[]) => (k === 'a.b' ? 42 : d[0]),
  join: (l: unknown, s: unknown) => (l as unknown[]).join(String(s)),
};

describe('template language', () => {
  it.each([
    ['plain text', 'hello', 'hello'],
    ['a path', '{{ spec.name }}/{{spec.index}}', 'etcd/1'],
    ['a call with a literal', '{{p("a.b")}}', '42'],
    ['a default', "{{p('x.y', 'dflt')}}", 'dflt'],
    ['each with separators', '{{#each xs as x}}{{#if @first}}{{else}},{{/if}}{{x}}{{/each}}', '1,2,3'],
    ['each over nothing', '[{{#each empty as x}}{{x}}{{/each}}]', '[]'],
    ['if/else on a list', '{{#if empty}}some{{else}}none{{/if}}', 'none'],
    ['nested blocks', '{{#each xs as x}}{{#if @last}}last={{x}}{{/if}}{{/each}}', 'last=3'],
    ['a helper', '{{join(xs, "-")}}', '1-2-3'],
  ])('renders %s', (_n, text, want) => {
    expect(renderNodes(parseTemplate(text, 't'), scope, 't')).toBe(want);
  });

  it.each([
    ['an unknown name', 'a\n{{ nope }}', /template t line 2: "nope" is not defined/],
    ['a missing member', '{{spec.port}}', /template t line 1: no "port" here/],
    ['prototype access', '{{spec.constructor}}', /no "constructor" here/],
    ['calling a non-function', '{{spec.name()}}', /calling something that is not a function/],
    ['each over a non-list', '{{#each spec as s}}{{/each}}', /\{\{#each\}\} needs a list/],
  ])('fails on %s, naming the line', (_n, text, want) => {
    expect(() => renderNodes(parseTemplate(text, 't'), scope, 't')).toThrow(want);
  });

  it.each([
    ['an unclosed if', '{{#if x}}', /line 1: \{\{#if\}\} is never closed/],
    ['a stray close', 'a\n\n{{/each}}', /line 3: \/each closes nothing open/],
    ['else outside if', '{{else}}', /\{\{else\}\} outside \{\{#if\}\}/],
    ['a malformed each', '{{#each xs}}{{/each}}', /expected \{\{#each EXPR as NAME\}\}/],
  ])('refuses %s at parse time', (_n, text, want) => {
    expect(() => parseTemplate(text, 't')).toThrow(want);
  });
});

describe('rendering a job', () => {
  const release = loadReleaseDir(etcdReleaseDir);
  const job = release.jobs[0];
  if (job === undefined) throw new Error('no job');
  const members = [0, 1, 2].map((i) => ({ name: 'etcd', index: i, id: `id${i}`, az: 'z1', address: `127.0.0.${i + 2}`, bootstrap: i === 0 }));
  const info = { deployment: 'etcd', name: 'etcd', index: 1, id: 'id1', az: 'z1', address: '127.0.0.3', bootstrap: false };

  it('wires peers from the link and properties over defaults', () => {
    const props = resolveProperties(job.spec, { etcd: { peer_port: 2390 } }, 'test');
    const links = new Map([['etcd', { instances: members, properties: { 'etcd.client_port': 2379, 'etcd.peer_port': 2390 } }]]);
    const r = renderJob(job, 'etcd', props, links, info);
    const run = r.files['bin/run'] ?? '';
    expect(run).toContain('--initial-cluster etcd-0=http://127.0.0.2:2390,etcd-1=http://127.0.0.3:2390,etcd-2=http://127.0.0.4:2390 ');
    expect(run).toContain('--listen-client-urls http://127.0.0.3:2379 ');
    expect(run).toContain('--name etcd-1 ');
    expect(r.processes).toEqual([{ name: 'etcd', executable: 'bin/run', args: [] }]);
    // Same input, same hash; a property change changes it.
    const again = renderJob(job, 'etcd', props, links, info);
    const other = renderJob(job, 'etcd', resolveProperties(job.spec, { etcd: { peer_port: 2390, log_level: 'info' } }, 'test'), links, info);
    expect(again.hash).toBe(r.hash);
    expect(other.hash).not.toBe(r.hash);
  });

  it.each([
    [{ etcd: { clinet_port: 1 } }, /test: property "etcd\.clinet_port" is not declared by job "etcd"/],
    [{ 'etcd.nope': 1 }, /property "etcd\.nope" is not declared/],
    [{ other: { x: 1 } }, /property "other\.x" is not declared/],
  ])('refuses undeclared manifest property %j', (props, want) => {
    expect(() => resolveProperties(job.spec, props, 'test')).toThrow(want);
  });
});
