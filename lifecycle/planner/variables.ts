import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilError } from '../../core/index.js';
import type { VariableDef } from '../manifest/index.js';

export interface Certificate {
  readonly certificate: string;
  readonly private_key: string;
  readonly ca: string;
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new VigilError('internal', `generating a certificate needs openssl: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** A CA (self-signed) or a leaf signed by `ca`, through the openssl CLI (Node cannot issue X.509 itself). */
function generateCertificate(def: VariableDef, ca: Certificate | null): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cert-'));
  try {
    const cn = def.options?.common_name ?? def.name;
    const sans = def.options?.alternative_names ?? [];
    const ext = sans.length > 0 ? `subjectAltName=${sans.map((s) => (/^\d+\.\d+\.\d+\.\d+$/.test(s) ? `IP:${s}` : `DNS:${s}`)).join(',')}` : '';
    if (ca === null) {
      openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '365', '-subj', `/CN=${cn}`, ...(ext !== '' ? ['-addext', ext] : [])], dir);
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      return { certificate: cert, private_key: readFileSync(join(dir, 'key.pem'), 'utf8'), ca: cert };
    }
    writeFileSync(join(dir, 'ca.pem'), ca.certificate);
    writeFileSync(join(dir, 'ca.key'), ca.private_key);
    writeFileSync(join(dir, 'ext.cnf'), ext !== '' ? `${ext}\n` : '\n');
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-subj', `/CN=${cn}`], dir);
    openssl(['x509', '-req', '-in', 'req.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '365', '-extfile', 'ext.cnf'], dir);
    return { certificate: readFileSync(join(dir, 'cert.pem'), 'utf8'), private_key: readFileSync(join(dir, 'key.pem'), 'utf8'), ca: ca.certificate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Values for the manifest's variables: kept ones stay, missing ones are generated (passwords, CAs, then
 * certificates signed by them). Returns the full set and which names are new.
 */
export function ensureVariables(defs: readonly VariableDef[], existing: ReadonlyMap<string, unknown>): { values: Map<string, unknown>; generated: string[] } {
  const values = new Map(existing);
  const generated: string[] = [];
  const ordered = [...defs].sort((a, b) => Number(a.options?.ca !== undefined) - Number(b.options?.ca !== undefined));
  for (const def of ordered) {
    if (values.has(def.name)) continue;
    if (def.type === 'password') values.set(def.name, randomBytes(def.options?.length ?? 20).toString('base64url').slice(0, def.options?.length ?? 20));
    else {
      const caName = def.options?.ca;
      const ca = caName === undefined ? null : (values.get(caName) as Certificate | undefined);
      if (caName !== undefined && ca === undefined) throw new VigilError('bad_data', `variable ${def.name}: its ca "${caName}" is not a certificate variable of the manifest`);
      values.set(def.name, generateCertificate(def, ca ?? null));
    }
    generated.push(def.name);
  }
  return { values, generated };
}

const placeholder = /\(\(\s*([A-Za-z0-9_.-]+)\s*\)\)/g;

function lookupVar(values: ReadonlyMap<string, unknown>, ref: string, where: string): unknown {
  const [name, ...path] = ref.split('.');
  if (name === undefined || !values.has(name)) throw new VigilError('bad_data', `${where}: ((${ref})) is not a variable of the manifest`);
  let v: unknown = values.get(name);
  for (const p of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, p)) throw new VigilError('bad_data', `${where}: ((${ref})) has no field "${p}"`);
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** Replaces ((name)) and ((name.field)) in property values; a whole-string placeholder keeps the value's type. */
export function interpolate(value: unknown, values: ReadonlyMap<string, unknown>, where: string): unknown {
  if (typeof value === 'string') {
    const whole = /^\(\(\s*([A-Za-z0-9_.-]+)\s*\)\)$/.exec(value);
    if (whole !== null) return lookupVar(values, whole[1] as string, where);
    return value.replace(placeholder, (_m, ref: string) => String(lookupVar(values, ref, where)));
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, values, `${where}[${i}]`));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, values, `${where}.${k}`)]));
  return value;
}
