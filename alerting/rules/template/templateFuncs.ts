import { parseDurationMs } from '../../../core/index.js';
import { RE2JS } from 're2js';
import { formatGoG, goSprintf, goValueString } from './goFormat.js';

/** One element of what the `query` function returns, as Prometheus' templates see it. */
export interface QuerySample {
  readonly Labels: Readonly<Record<string, string>>;
  readonly Value: number;
}

/** What the functions may need from the expansion: the query function and the external URL. */
export interface FuncContext {
  readonly query: (expr: string) => Promise<readonly QuerySample[]>;
  readonly externalURL: string;
}

export type TemplateFunc = (ctx: FuncContext, args: readonly unknown[]) => unknown;

export class TemplateExecError extends Error {}

function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = v.trim() === '' ? NaN : Number(v);
    if (Number.isNaN(n) && v !== 'NaN') throw new TemplateExecError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    return n;
  }
  if (typeof v === 'boolean') throw new TemplateExecError(`can't convert bool to float`);
  throw new TemplateExecError(`can't convert ${goValueString(v)} to float`);
}

function arity(name: string, args: readonly unknown[], n: number): void {
  if (args.length !== n) throw new TemplateExecError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
}

/** Metric prefixes: powers of 1000 (or 1024) above 1, and of 1/1000 below. */
function scaled(v: number, base: number, up: readonly string[], down: readonly string[], unit = ''): string {
  if (v === 0 || !Number.isFinite(v)) return `${formatGoG(v, 4)}${unit}`;
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of up) {
      if (Math.abs(v) < base) break;
      prefix = p;
      v /= base;
    }
  } else {
    for (const p of down) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${formatGoG(v, 4)}${prefix}${unit}`;
}

const SMALL = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatGoG(v, 4);
  if (v === 0) return `${formatGoG(v, 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    v = Math.abs(v);
    const d = Math.trunc(v);
    const [s, m, h, days] = [d % 60, Math.trunc(d / 60) % 60, Math.trunc(d / 3600) % 24, Math.trunc(d / 86400)];
    if (days !== 0) return `${sign}${days}d ${h}h ${m}m ${s}s`;
    if (h !== 0) return `${sign}${h}h ${m}m ${s}s`;
    if (m !== 0) return `${sign}${m}m ${s}s`;
    return `${sign}${formatGoG(v, 4)}s`;
  }
  return scaled(v, 1000, [], SMALL, 's');
}

/**
 * Go's time.Time.String() of a UTC time ("2006-01-02 15:04:05.999 +0000 UTC") at millisecond
 * precision, as Prometheus converts the seconds (model.TimeFromUnixNano truncates to ms).
 */
function goTimeString(seconds: number): string {
  const ms = Math.trunc(Math.trunc(seconds * 1e9) / 1e6);
  const iso = new Date(ms).toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac === '' ? '' : `.${frac}`} +0000 UTC`;
}

function isSample(v: unknown): v is QuerySample {
  return typeof v === 'object' && v !== null && 'Labels' in v && 'Value' in v;
}

function samplesOf(v: unknown, fn: string): readonly QuerySample[] {
  if (Array.isArray(v)) return v as QuerySample[];
  throw new TemplateExecError(`${fn}: expected the result of query, got ${goValueString(v)}`);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateExecError('incompatible types for comparison');
}

export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && !isSample(v)) return Object.keys(v).length > 0;
  return true;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '\0': '\uFFFD' };

/** Go's built-in template functions and Prometheus' (template/template.go, 2.42). */
export const TEMPLATE_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['query', (ctx, args) => (arity('query', args, 1), ctx.query(String(args[0])))],
  ['first', (_c, args) => {
    arity('first', args, 1);
    const s = samplesOf(args[0], 'first');
    if (s.length === 0) throw new TemplateExecError('first() called on vector with no elements');
    return s[0];
  }],
  ['label', (_c, args) => {
    arity('label', args, 2);
    const s = args[1];
    return isSample(s) ? (s.Labels[String(args[0])] ?? '') : '';
  }],
  ['value', (_c, args) => (arity('value', args, 1), isSample(args[0]) ? args[0].Value : 0)],
  ['strvalue', (_c, args) => (arity('strvalue', args, 1), isSample(args[0]) ? (args[0].Labels.__value__ ?? '') : '')],
  ['args', (_c, args) => Object.fromEntries(args.map((a, i) => [`arg${i}`, a]))],
  ['reReplaceAll', (_c, args) => {
    arity('reReplaceAll', args, 3);
    return RE2JS.compile(String(args[0])).matcher(String(args[2])).replaceAll(String(args[1]));
  }],
  ['safeHtml', (_c, args) => (arity('safeHtml', args, 1), String(args[0]))],
  ['match', (_c, args) => (arity('match', args, 2), RE2JS.compile(String(args[0])).matcher(String(args[1])).find())],
  ['title', (_c, args) => (arity('title', args, 1), String(args[0]).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase()))],
  ['toUpper', (_c, args) => (arity('toUpper', args, 1), String(args[0]).toUpperCase())],
  ['toLower', (_c, args) => (arity('toLower', args, 1), String(args[0]).toLowerCase())],
  ['graphLink', (_c, args) => (arity('graphLink', args, 1), `/graph?g0.expr=${encodeURIComponent(String(args[0]))}&g0.tab=0`)],
  ['tableLink', (_c, args) => (arity('tableLink', args, 1), `/graph?g0.expr=${encodeURIComponent(String(args[0]))}&g0.tab=1`)],
  ['sortByLabel', (_c, args) => {
    arity('sortByLabel', args, 2);
    const name = String(args[0]);
    return [...samplesOf(args[1], 'sortByLabel')].sort((a, b) => compare(a.Labels[name] ?? '', b.Labels[name] ?? ''));
  }],
  ['humanize', (_c, args) => (arity('humanize', args, 1), scaled(toFloat(args[0]), 1000, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'], SMALL))],
  ['humanize1024', (_c, args) => {
    arity('humanize1024', args, 1);
    const v = toFloat(args[0]);
    return Math.abs(v) <= 1 || !Number.isFinite(v) ? formatGoG(v, 4) : scaled(v, 1024, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'], []);
  }],
  ['humanizeDuration', (_c, args) => (arity('humanizeDuration', args, 1), humanizeDuration(toFloat(args[0])))],
  ['humanizePercentage', (_c, args) => (arity('humanizePercentage', args, 1), `${formatGoG(toFloat(args[0]) * 100, 4)}%`)],
  ['humanizeTimestamp', (_c, args) => {
    arity('humanizeTimestamp', args, 1);
    const v = toFloat(args[0]);
    return Number.isFinite(v) ? goTimeString(v) : formatGoG(v, 4);
  }],
  ['pathPrefix', (ctx) => new URL(ctx.externalURL || 'http://localhost/').pathname.replace(/\/$/, '')],
  ['externalURL', (ctx) => ctx.externalURL],
  ['parseDuration', (_c, args) => {
    arity('parseDuration', args, 1);
    const ms = parseDurationMs(String(args[0]));
    if (ms === undefined) throw new TemplateExecError(`not a valid duration string: ${JSON.stringify(args[0])}`);
    return ms / 1000;
  }],
  ['stripPort', (_c, args) => {
    arity('stripPort', args, 1);
    const h = String(args[0]);
    const v6 = /^\[(.*)\]:\d*$/.exec(h);
    if (v6 !== null) return v6[1];
    const i = h.lastIndexOf(':');
    return i >= 0 && h.indexOf(':') === i ? h.slice(0, i) : h;
  }],
  // Go's built-ins.
  ['and', (_c, args) => args.find((a) => !truthy(a)) ?? args[args.length - 1]],
  ['or', (_c, args) => args.find((a) => truthy(a)) ?? args[args.length - 1]],
  ['not', (_c, args) => (arity('not', args, 1), !truthy(args[0]))],
  ['len', (_c, args) => {
    arity('len', args, 1);
    const v = args[0];
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (Array.isArray(v)) return v.length;
    if (typeof v === 'object' && v !== null) return Object.keys(v).length;
    throw new TemplateExecError(`len of ${goValueString(v)}`);
  }],
  ['index', (_c, args) => {
    let v = args[0];
    for (const k of args.slice(1)) {
      if (Array.isArray(v) && typeof k === 'number') {
        if (k < 0 || k >= v.length) throw new TemplateExecError(`error calling index: index out of range: ${k}`);
        v = v[k] as unknown;
      } else if (typeof v === 'object' && v !== null) v = (v as Record<string, unknown>)[String(k)] ?? '';
      else throw new TemplateExecError(`can't index item of type ${typeof v}`);
    }
    return v;
  }],
  ['print', (_c, args) => args.map((a, i) => (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + goValueString(a)).join('')],
  ['println', (_c, args) => `${args.map(goValueString).join(' ')}\n`],
  ['printf', (_c, args) => goSprintf(String(args[0]), args.slice(1))],
  ['eq', (_c, args) => args.slice(1).some((b) => compare(args[0], b) === 0)],
  ['ne', (_c, args) => (arity('ne', args, 2), compare(args[0], args[1]) !== 0)],
  ['lt', (_c, args) => (arity('lt', args, 2), compare(args[0], args[1]) < 0)],
  ['le', (_c, args) => (arity('le', args, 2), compare(args[0], args[1]) <= 0)],
  ['gt', (_c, args) => (arity('gt', args, 2), compare(args[0], args[1]) > 0)],
  ['ge', (_c, args) => (arity('ge', args, 2), compare(args[0], args[1]) >= 0)],
  ['html', (_c, args) => args.map(goValueString).join('').replace(/[&<>"'\0]/g, (c) => HTML_ESCAPES[c] ?? c)],
  ['urlquery', (_c, args) => encodeURIComponent(args.map(goValueString).join('')).replace(/%20/g, '+')],
  ['js', (_c, args) => JSON.stringify(args.map(goValueString).join('')).slice(1, -1).replace(/'/g, "\\'").replace(/</g, '\\u003C').replace(/>/g, '\\u003E')],
]);
