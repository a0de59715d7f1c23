import { VigilError } from '../../../core/index.js';

/**
 * Loki's `| json`: every scalar field of a JSON object, nested keys joined with `_`
 * (`{"a":{"b":1}}` → a_b="1"); arrays are not extracted without an expression. With
 * expressions (`| json x="a.b[0]", y="[\"key with space\"]"`) only those paths are read.
 */
export type JsonFields = Array<[string, string]>;

/** Most levels of a line's JSON that are flattened (deeper values are skipped). */
const MAX_JSON_DEPTH = 64;

export function flattenJson(value: unknown): JsonFields | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: JsonFields = [];
  const walk = (obj: Record<string, unknown>, prefix: string, depth: number): void => {
    if (depth > MAX_JSON_DEPTH) return;
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix === '' ? k : `${prefix}_${k}`;
      if (v !== null && typeof v === 'object') {
        if (!Array.isArray(v)) walk(v as Record<string, unknown>, key, depth + 1);
      } else out.push([key, scalarText(v)]);
    }
  };
  walk(value as Record<string, unknown>, '', 0);
  return out;
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

export type JsonPath = readonly (string | number)[];

/** `a.b[0]`, `["a b"].c`, `a["b"][1]` as path steps; throws 'bad_data' when it is not one. */
export function parseJsonPath(text: string): JsonPath {
  const steps: (string | number)[] = [];
  const re = /\.?([a-zA-Z_][a-zA-Z0-9_-]*)|\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null || (m[0].startsWith('.') && i === 0)) throw new VigilError('bad_data', `invalid JSON expression ${JSON.stringify(text)}`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(unquote(m[3] as string, text));
    i = re.lastIndex;
  }
  if (steps.length === 0) throw new VigilError('bad_data', `empty JSON expression`);
  return steps;
}

/** The value at `path` as label text: scalars as text, objects and arrays as their JSON. */
export function readJsonPath(value: unknown, path: JsonPath): string | undefined {
  let v: unknown = value;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = typeof step === 'number' ? (Array.isArray(v) ? (v[step] as unknown) : undefined) : Array.isArray(v) ? undefined : (v as Record<string, unknown>)[step];
  }
  if (v === undefined) return undefined;
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : scalarText(v);
}

function unquote(escaped: string, text: string): string {
  try {
    return JSON.parse(`"${escaped}"`) as string;
  } catch {
    throw new VigilError('bad_data', `invalid JSON expression ${JSON.stringify(text)}: bad escape or control character in a quoted key`);
  }
}
