import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../bin/index.js';

describe('TokenStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tokens-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const fresh = () => new TokenStore(join(dir, `t${++n}`, 'tokens.json'));

  it('prints the secret once and stores only a salted hash, readable by the owner alone', async () => {
    const store = fresh();
    const { token, info } = await store.create({ name: 'grafana', scopes: ['read'], tenant: 'acme' });
    expect(token).toMatch(/^vgl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(store.file, 'utf8');
    expect(text).not.toContain(token.slice(-43));
    expect(text).toContain(info.id);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(store.list()).toEqual([expect.objectContaining({ id: info.id, name: 'grafana', scopes: ['read'], tenant: 'acme' })]);
    expect(JSON.stringify(store.list())).not.toMatch(/salt|hash/);
  });

  it('verifies the exact token into its principal, and nothing else', async () => {
    const store = fresh();
    const { token, info } = await store.create({ name: 'ci', scopes: ['ingest', 'read'], tenant: '*' });
    expect(await store.verify(token)).toEqual({ name: 'ci', id: `token:${info.id}`, scopes: ['ingest', 'read'], tenant: '*' });
    const other = await store.create({ name: 'other', scopes: ['read'], tenant: 'x' });
    const swapped = `vgl_${info.id}_${other.token.slice(-43)}`; // a real secret under the wrong id
    for (const bad of [swapped, token.slice(0, -1), `${token}x`, '', 'vgl_', token.toUpperCase()]) expect(await store.verify(bad)).toBeNull();
  });

  it('sees tokens created and revoked by another process (the CLI) through the file', async () => {
    const server = fresh();
    const cli = new TokenStore(server.file);
    const { token } = await cli.create({ name: 'late', scopes: ['read'], tenant: '*' });
    // The server looks at the file at most once a second: a new instance stands for "a second later".
    expect(await new TokenStore(server.file).verify(token)).not.toBeNull();
    expect(cli.revoke('late')).toHaveLength(1);
    expect(cli.revoke('late')).toHaveLength(0);
    expect(await new TokenStore(server.file).verify(token)).toBeNull();
    expect(cli.list()[0]?.revokedAt).toBeDefined();
  });

  it.each([
    { name: 'bad tenant', req: { name: 'x', scopes: ['read'] as const, tenant: '../etc' }, error: /invalid tenant/ },
    { name: 'no scope', req: { name: 'x', scopes: [] as const, tenant: 'a' }, error: /at least one scope/ },
  ])('refuses to create a token with a $name', async ({ req, error }) => {
    await expect(fresh().create({ ...req, scopes: [...req.scopes] })).rejects.toThrow(error);
  });

  it('refuses a second active token of the same name, and a name that would not load again', async () => {
    const store = fresh();
    await store.create({ name: 'grafana', scopes: ['read'], tenant: '*' });
    await expect(store.create({ name: 'grafana', scopes: ['read'], tenant: '*' })).rejects.toThrow(/already named "grafana"/);
    await expect(store.create({ name: 'x'.repeat(300), scopes: ['read'], tenant: '*' })).rejects.toThrow(/cannot create this token: name/);
    expect(new TokenStore(store.file).list()).toHaveLength(1);
    store.revoke('grafana');
    await expect(store.create({ name: 'grafana', scopes: ['read'], tenant: '*' })).resolves.toBeDefined();
  });

  it('keeps serving the tokens it had when the file is damaged while it runs, and says so once', async () => {
    const errors: string[] = [];
    const file = join(dir, 'running', 'tokens.json');
    const cli = new TokenStore(file);
    const { token } = await cli.create({ name: 'ci', scopes: ['read'], tenant: '*' });
    const { token: unused } = await cli.create({ name: 'not-yet-used', scopes: ['read'], tenant: '*' });
    const server = new TokenStore(file, (err) => errors.push(err.message));
    expect(await server.verify(token)).not.toBeNull();
    writeFileSync(file, '{ damaged');
    await new Promise((r) => setTimeout(r, 1100)); // past the server's once-a-second look at the file
    expect(await server.verify(`${token.slice(0, -1)}x`)).toBeNull();
    // Not in the cache of verified tokens: only the kept token set can vouch for it.
    expect(await server.verify(unused)).not.toBeNull();
    expect(await server.verify(token)).not.toBeNull();
    expect(errors).toEqual([expect.stringMatching(/tokens\.json is not valid JSON/)]);
  });

  it('refuses a tampered tokens file with a message naming the file and the field', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"version":1,"tokens":[{"id":"zz"}]}');
    expect(() => new TokenStore(file)).toThrow(/bad\.json is invalid: tokens\.0\.id/);
  });
});
