import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensureVariables, interpolate } from '../../lifecycle/planner/index.js';

describe('manifest variables', () => {
  it('generates a password once and keeps existing values', () => {
    const first = ensureVariables([{ name: 'pw', type: 'password' }], new Map());
    expect(first.generated).toEqual(['pw']);
    expect(String(first.values.get('pw'))).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const again = ensureVariables([{ name: 'pw', type: 'password' }], first.values);
    expect(again.generated).toEqual([]);
    expect(again.values.get('pw')).toBe(first.values.get('pw'));
  });

  it('generates a CA and a certificate signed by it, whatever the order in the manifest', () => {
    const { values } = ensureVariables(
      [
        { name: 'server', type: 'certificate', options: { ca: 'ca', common_name: 'etcd', alternative_names: ['127.72.1.2', 'etcd.local'] } },
        { name: 'ca', type: 'certificate', options: { is_ca: true, common_name: 'vigil-ca' } },
      ],
      new Map(),
    );
    const ca = new X509Certificate((values.get('ca') as { certificate: string }).certificate);
    const server = values.get('server') as { certificate: string; private_key: string; ca: string };
    const leaf = new X509Certificate(server.certificate);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe('IP Address:127.72.1.2, DNS:etcd.local');
    expect(leaf.subject).toBe('CN=etcd');
    expect(server.ca).toBe((values.get('ca') as { certificate: string }).certificate);
    expect(server.private_key).toContain('PRIVATE KEY');
  });

  it('refuses a certificate whose ca is not a variable', () => {
    expect(() => ensureVariables([{ name: 's', type: 'certificate', options: { ca: 'nope' } }], new Map())).toThrow('variable s: its ca "nope" is not a certificate variable of the manifest');
  });

  it.each([
    ['((pw))', 'secret'],
    ['user:((pw))@host', 'user:secret@host'],
    ['((cert.certificate))', 'PEM'],
    [['a', '((pw))'], ['a', 'secret']],
    [{ n: 3, s: '(( pw ))' }, { n: 3, s: 'secret' }],
  ])('interpolates %j', (input, want) => {
    const vars = new Map<string, unknown>([
      ['pw', 'secret'],
      ['cert', { certificate: 'PEM' }],
    ]);
    expect(interpolate(input, vars, 'p')).toEqual(want);
  });

  it('names the property of a missing variable or field', () => {
    expect(() => interpolate({ a: { b: '((x))' } }, new Map(), 'props')).toThrow('props.a.b: ((x)) is not a variable of the manifest');
    expect(() => interpolate('((c.key))', new Map([['c', { certificate: '' }]]), 'p')).toThrow('p: ((c.key)) has no field "key"');
  });
});
