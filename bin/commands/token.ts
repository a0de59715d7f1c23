import { parseArgs } from 'node:util';
import type { Scope } from '../../core/index.js';
import { ALL_TENANTS, ConfigError, SCOPES, loadConfig } from '../../core/index.js';
import { TokenStore, tokensFileOf } from '../auth/tokenStore.js';
import type { TokenInfo } from '../auth/tokenStore.js';
import type { CommandMap } from './command.js';

const help = `usage: vigil token create --scope LIST --tenant TENANT --name NAME
       vigil token list [--json]
       vigil token revoke ID|NAME

API tokens for --auth. Only a hash is stored (in <dataDir>/auth/tokens.json, or auth.tokensFile);
create prints the secret once. A running server picks up created and revoked tokens within a second.

  --scope LIST    comma-separated: ${SCOPES.join(', ')} (admin implies all)
  --tenant T      the one tenant the token acts for, or '*' for all (then X-Scope-OrgID picks)
  --name NAME     what the token is for, e.g. grafana
  --data-dir DIR  the platform's data directory (default ./data; VIGIL_DATA_DIR)
  --config FILE   the platform's configuration file (VIGIL_CONFIG)

Send it as "Authorization: Bearer <token>", or as the password of basic auth.
`;

const flags = {
  scope: { type: 'string' },
  tenant: { type: 'string' },
  name: { type: 'string' },
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function fail(message: string): number {
  process.stderr.write(`vigil token: ${message}\n`);
  return 2;
}

function storeOf(values: { 'data-dir'?: string | undefined; config?: string | undefined }): TokenStore {
  const config = loadConfig({
    file: values.config ?? process.env.VIGIL_CONFIG,
    env: process.env,
    flags: values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] },
  });
  return new TokenStore(tokensFileOf(config));
}

function row(t: TokenInfo): string {
  const state = t.revokedAt === undefined ? 'active' : `revoked ${t.revokedAt}`;
  return `${t.id}  ${t.name.padEnd(16)}  ${t.scopes.join(',').padEnd(22)}  ${t.tenant.padEnd(12)}  ${t.createdAt}  ${state}`;
}

async function runToken(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: flags, allowPositionals: true, strict: true });
  const [sub, ...rest] = positionals;
  if (values.help === true || sub === undefined || sub === 'help') {
    process.stdout.write(help);
    return sub === undefined && values.help !== true ? 2 : 0;
  }
  let store: TokenStore;
  try {
    store = storeOf(values);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  switch (sub) {
    case 'create': {
      if (values.name === undefined || values.name.trim() === '') return fail('--name is required (what the token is for, e.g. grafana)');
      if (values.tenant === undefined) return fail(`--tenant is required: a tenant id, or '${ALL_TENANTS}' for every tenant`);
      const scopes = (values.scope ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (scopes.length === 0 || unknown.length > 0) return fail(`--scope takes a comma-separated list of ${SCOPES.join(', ')}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`);
      const created = await store.create({ name: values.name.trim(), scopes: scopes as Scope[], tenant: values.tenant });
      process.stderr.write(`created token ${created.info.id} "${created.info.name}" (${created.info.scopes.join(',')}, tenant ${created.info.tenant}); its secret is shown only now:\n`);
      process.stdout.write(`${created.token}\n`);
      return 0;
    }
    case 'list': {
      const tokens = store.list();
      if (values.json === true) process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
      else if (tokens.length === 0) process.stdout.write(`no tokens in ${store.file}\n`);
      else process.stdout.write(`${tokens.map(row).join('\n')}\n`);
      return 0;
    }
    case 'revoke': {
      const target = rest[0];
      if (target === undefined) return fail('revoke needs the id or name of a token (see `vigil token list`)');
      const revoked = store.revoke(target);
      if (revoked.length === 0) return fail(`no active token with id or name "${target}"`);
      for (const t of revoked) process.stdout.write(`revoked ${t.id} "${t.name}"\n`);
      return 0;
    }
    default:
      return fail(`unknown sub-command "${sub}"\n\n${help}`);
  }
}

export const tokenCommands: CommandMap = {
  token: { summary: 'create, list and revoke API tokens (for --auth)', run: runToken },
};
